#include "app/gui/event_text.hpp"

#include <cstdio>

#include "engine/model/timeline_model.hpp"

namespace mpviz::gui {

void describe_event(const Event& e, Lang lang, char* buf, size_t n) {
  const bool zh = lang == Lang::Zh;
  const char* name = e.name.c_str();
  const char* text = e.text.c_str();
  const long long v = static_cast<long long>(e.value);
  const int other = e.other;
  switch (e.kind) {
    case EventKind::process_start:
      std::snprintf(buf, n, zh ? "由 %d 启动%s [%s]" : "started by %d%s [%s]", other,
                    (e.flags & kFlagDaemon) ? (zh ? "（守护进程）" : " (daemon)") : "",
                    (e.flags & kFlagForkserver) ? "forkserver" : (e.flags & kFlagSpawn) ? "spawn" : "fork");
      return;
    case EventKind::process_exit:
      std::snprintf(buf, n, zh ? "退出，exitcode = %lld" : "exited, exitcode = %lld", v);
      return;
    case EventKind::process_killed:
      std::snprintf(buf, n, zh ? "被信号 %lld 杀死（%s）" : "killed by signal %lld (%s)", v, text);
      return;
    case EventKind::join_begin:
      if (e.flags & kFlagHasTimeout)
        std::snprintf(buf, n, "join(%d, timeout=%g)", other, e.seconds);
      else
        std::snprintf(buf, n, "join(%d)", other);
      return;
    case EventKind::join_end:
      std::snprintf(buf, n, zh ? "join(%d) %s" : "join(%d) %s", other,
                    (e.flags & kFlagTimedOut) ? (zh ? "超时" : "timed out")
                                              : (zh ? "返回" : "returned"));
      return;
    case EventKind::sleep_begin: std::snprintf(buf, n, "sleep(%g)", e.seconds); return;
    case EventKind::sleep_end: std::snprintf(buf, n, zh ? "醒来" : "woke up"); return;
    case EventKind::print: {
      std::string_view line = print_line(e.text);
      std::snprintf(buf, n, "print: %.*s", static_cast<int>(line.size()), line.data());
      return;
    }
    case EventKind::lock_wait:
      std::snprintf(buf, n, zh ? "等待 %s.acquire()" : "waits in %s.acquire()", name);
      return;
    case EventKind::lock_acquire:
      std::snprintf(buf, n, zh ? "获得 %s" : "acquired %s", name);
      return;
    case EventKind::lock_release:
      std::snprintf(buf, n, zh ? "释放 %s" : "released %s", name);
      return;
    case EventKind::sem_wait:
      std::snprintf(buf, n, zh ? "等待 %s.acquire()" : "waits in %s.acquire()", name);
      return;
    case EventKind::sem_acquire:
      std::snprintf(buf, n, zh ? "获得 %s，计数 → %lld" : "acquired %s, count -> %lld", name, v);
      return;
    case EventKind::sem_release:
      std::snprintf(buf, n, zh ? "释放 %s，计数 → %lld" : "released %s, count -> %lld", name, v);
      return;
    case EventKind::queue_put_wait:
      std::snprintf(buf, n, zh ? "%s.put(%s) 等待空位…" : "%s.put(%s) waits for room...", name,
                    text);
      return;
    case EventKind::queue_put:
      std::snprintf(buf, n, zh ? "%s.put(%s)，大小 %lld/%lld" : "%s.put(%s), size %lld/%lld",
                    name, text, v, static_cast<long long>(e.limit));
      return;
    case EventKind::queue_get_wait:
      std::snprintf(buf, n, zh ? "%s.get() 等待数据…" : "%s.get() waits for an item...", name);
      return;
    case EventKind::queue_get:
      std::snprintf(buf, n, zh ? "%s.get() → %s，大小 %lld" : "%s.get() -> %s, size %lld", name,
                    text, v);
      return;
    case EventKind::pipe_send:
      std::snprintf(buf, n, zh ? "%s[%d].send(%s)" : "%s[%d].send(%s)", name, other, text);
      return;
    case EventKind::pipe_recv_wait:
      std::snprintf(buf, n, zh ? "%s[%d].recv() 等待…" : "%s[%d].recv() waits...", name, other);
      return;
    case EventKind::pipe_recv:
      std::snprintf(buf, n, "%s[%d].recv() -> %s", name, other, text);
      return;
    case EventKind::pool_submit:
      std::snprintf(buf, n, zh ? "提交任务 %d：%s" : "submits task %d: %s", other, name);
      return;
    case EventKind::pool_task_begin:
      std::snprintf(buf, n, zh ? "开始任务 %d：%s" : "runs task %d: %s", other, name);
      return;
    case EventKind::pool_task_end:
      std::snprintf(buf, n, zh ? "完成任务 %d" : "finished task %d", other);
      return;
    case EventKind::run_end:
      if (v)
        std::snprintf(buf, n, zh ? "运行结束：%s（丢失 %lld 帧）" : "run %s (%lld frames dropped)",
                      text, v);
      else
        std::snprintf(buf, n, zh ? "运行结束：%s" : "run %s", text);
      return;
    case EventKind::op_timeout:
      std::snprintf(buf, n, zh ? "%s 超时" : "timed out on %s", name);
      return;
    case EventKind::terminate:
      std::snprintf(buf, n, zh ? "终止进程 %d（信号 %lld）" : "terminate(%d) (signal %lld)", other, v);
      return;
    case EventKind::value_read:
      std::snprintf(buf, n, zh ? "读 %s → %s" : "reads %s -> %s", value_key(e).c_str(),
                    value_text(e).c_str());
      return;
    case EventKind::value_write:
      if (e.flags & kFlagLost)
        std::snprintf(buf, n, zh ? "写 %s = %s（覆盖了别人的更新：丢失！）" : "writes %s = %s (overwrote another update: LOST)",
                      value_key(e).c_str(), value_text(e).c_str());
      else
        std::snprintf(buf, n, zh ? "写 %s = %s" : "writes %s = %s", value_key(e).c_str(),
                      value_text(e).c_str());
      return;
  }
  std::snprintf(buf, n, "?");
}

}  // namespace mpviz::gui
