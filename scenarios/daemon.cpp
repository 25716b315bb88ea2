// Tutorial section 3 (守护进程): daemon children, each joined with a timeout.
#include <memory>
#include <vector>

#include "scenarios/looping_process.hpp"
#include "scenarios/registry.hpp"

namespace mpviz::scenarios {

ScenarioDef daemon() {
  ScenarioDef d;
  d.info.name = "daemon";
  d.info.section = "3";
  d.info.title_zh = "守护进程与 join(timeout)";
  d.info.title_en = "Daemon processes and join(timeout)";
  d.info.explain_zh =
      "与上一节相同的三个守护子进程，但主进程对每个子进程调用 join(1)：最多等 1 秒。"
      "三次 join 大约共 3 秒后打印 end，然后主进程退出，仍在运行的守护子进程被终止。"
      "观察：loop=2 的子进程已正常结束（退出码 0），loop=4 的子进程在循环中途被杀死。";
  d.info.explain_en =
      "The same three daemon children, but main calls join(1) on each: wait at most one second. "
      "After three joins, about 3 s, main prints 'end' and exits; daemon children still running "
      "are terminated. Watch: the loop=2 child has finished (exit code 0), the loop=4 child is "
      "killed in the middle of its loop.";
  d.info.listing_file = "daemon.py";
  d.info.params = looping_params();
  d.info.params.push_back({"join_timeout", ParamType::Float, 1.0, 0.0, 60.0,
                           "seconds join() waits per child", "join() 对每个子进程最多等待的秒数"});
  d.entries = {LoopingProcess::entry()};
  d.main = [](const ParamValues& p) {
    auto ps = start_daemon_loopers(p);
    for (auto& proc : ps) proc->join(p.get_float("join_timeout"));
    rt::print("end");
  };
  return d;
}

}  // namespace mpviz::scenarios
