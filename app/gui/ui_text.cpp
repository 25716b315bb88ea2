#include "app/gui/ui_text.hpp"
#include <cstddef>

namespace mpviz::gui {
namespace {

struct Pair {
  const char* zh;
  const char* en;
};

// Indexed by T; the static_assert below keeps the table and the enum in step.
constexpr Pair kText[] = {
    {"场景", "Scenarios"},
    {"运行 (R)", "Run (R)"},
    {"停止 (Esc)", "Stop (Esc)"},
    {"启动方式", "Start method"},
    {"速度", "Speed"},
    {"0 = 跳过 sleep", "0 = skip sleeps"},
    {"勾选后 sleep() 立即返回（仍然记录，时长为 0）",
     "sleep() returns at once (still recorded, with zero length)"},
    {"参数", "Parameters"},
    {"语言", "Language"},
    {"时间 (秒)", "t (s)"},
    {"PID", "PID"},
    {"进程名", "Process"},
    {"事件", "Event"},
    {"详情", "Details"},
    {"就绪", "ready"},
    {"运行中", "running"},
    {"已完成", "finished"},
    {"已停止", "stopped"},
    {"失败", "failed"},
    {"回放记录", "recording"},
    {"事件数", "events"},
    {"存活进程", "processes alive"},
    {"进程数", "processes"},
    {"时间线", "Timeline"},
    {"事件表", "Event table"},
    {"跟随", "Follow"},
    {"全部", "Fit all"},
    {"滚轮缩放，拖动平移，悬停查看详情", "wheel: zoom, drag: pan, hover: details"},
    {"运行", "running"},
    {"睡眠", "sleeping"},
    {"等待锁", "waiting for lock"},
    {"持有锁", "holding lock"},
    {"join 等待", "joining"},
    {"阻塞", "blocked"},
    {"已退出", "exited"},
    {"被杀死", "killed"},
    {"还没有事件。选择一个场景，按“运行”。", "No events yet. Pick a scenario and press Run."},
    {"无法启动运行", "cannot start the run"},
    {"范围 %s .. %s", "range %s .. %s"},
    {"快捷键：R 运行 · Esc 停止", "keys: R run · Esc stop"},
};
static_assert(sizeof(kText) / sizeof(kText[0]) == static_cast<size_t>(T::Count_),
              "ui_text: one entry per T");

}  // namespace

const char* tr(T id, Lang lang) {
  const Pair& p = kText[static_cast<int>(id)];
  return lang == Lang::Zh ? p.zh : p.en;
}

}  // namespace mpviz::gui
