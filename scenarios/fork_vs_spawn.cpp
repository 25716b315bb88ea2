// Tutorial sections 6 and 8 (Windows 和 Linux/macOS 差异, 队列): a module-level
// Queue. Under fork the child puts into the parent's queue (main prints 1);
// under spawn the child re-runs module initialisation and puts into a new
// queue of its own (main prints 0).
#include <memory>

#include "engine/runtime/api.hpp"
#include "engine/runtime/process.hpp"
#include "engine/runtime/queue.hpp"
#include "scenarios/registry.hpp"

namespace mpviz::scenarios {
namespace {

// The module global `buffer = Queue()`, built by module_init.
std::unique_ptr<rt::Queue> g_buffer;

}  // namespace

ScenarioDef fork_vs_spawn() {
  ScenarioDef d;
  d.info.name = "fork-vs-spawn";
  d.info.section = "6";
  d.info.title_zh = "fork 与 spawn：全局变量是复制还是重建？";
  d.info.title_en = "fork vs spawn: are globals copied or rebuilt?";
  d.info.explain_zh =
      "模块顶层创建了 buffer = Queue()，子进程 worker 往 buffer 里 put(1)，主进程 join 后打印 buffer.qsize()。"
      "fork：子进程复制了父进程的整个地址空间，用的是同一个队列（同一个底层通道），主进程打印 1。"
      "spawn：子进程是全新的解释器，重新导入 __main__，创建了自己的新队列，主进程打印 0。"
      "勘误：macOS 从 Python 3.8 起默认使用 spawn；Python 3.14 在 Linux 上默认改为 forkserver；"
      "macOS 上 qsize() 会抛出 NotImplementedError。";
  d.info.explain_en =
      "The module creates buffer = Queue() at top level; the child worker does buffer.put(1), and "
      "main prints buffer.qsize() after join. fork: the child copies the parent's whole address "
      "space and uses the same queue (the same underlying channel), so main prints 1. spawn: the "
      "child is a fresh interpreter that re-imports __main__ and builds a new queue of its own, so "
      "main prints 0. Errata: macOS has defaulted to spawn since Python 3.8; Python 3.14 makes "
      "forkserver the Linux default; qsize() raises NotImplementedError on macOS.";
  d.info.listing_file = "fork_vs_spawn.py";
  d.module_init = [](const ParamValues&) { g_buffer = std::make_unique<rt::Queue>(0, "buffer"); };
  d.entries = {{"worker", [](const rt::Args&) { g_buffer->put("1"); }}};
  d.main = [](const ParamValues&) {
    rt::Process p("worker");
    p.start();
    p.join();
    rt::print(std::to_string(g_buffer->qsize()));
  };
  return d;
}

}  // namespace mpviz::scenarios
