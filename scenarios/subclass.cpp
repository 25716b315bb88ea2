// Tutorial section 2 (通过继承创建多进程): three daemon MyProcess children
// that main never joins, so they die with main, usually before printing.
#include <memory>
#include <vector>

#include "scenarios/looping_process.hpp"
#include "scenarios/registry.hpp"

namespace mpviz::scenarios {

ScenarioDef subclass() {
  ScenarioDef d;
  d.info.name = "subclass";
  d.info.section = "2";
  d.info.title_zh = "通过继承创建进程：守护子进程随主进程结束";
  d.info.title_en = "Subclassing Process: daemon children die with main";
  d.info.explain_zh =
      "MyProcess 继承 Process 并重写 run()：循环 loop 次，每次睡 1 秒后打印 pid 和计数。"
      "三个子进程（loop = 2、3、4）都设置了 daemon=True，主进程却没有 join 它们。"
      "于是主进程立刻结束，守护子进程被终止——通常一行都来不及打印。"
      "时间线上会看到三个子进程被“主进程退出”杀死。";
  d.info.explain_en =
      "MyProcess subclasses Process and overrides run(): loop times, sleep 1 s, then print its pid "
      "and the count. All three children (loop = 2, 3, 4) are daemon=True and main never joins "
      "them, so main ends at once and its daemon children are terminated - usually before they "
      "print a single line. The timeline shows all three killed by the parent's exit.";
  d.info.listing_file = "subclass.py";
  d.info.params = looping_params();
  d.entries = {LoopingProcess::entry()};
  // Main starts its daemon children and ends at once: they die with it.
  d.main = [](const ParamValues& p) { start_daemon_loopers(p); };
  return d;
}

}  // namespace mpviz::scenarios
