// Tutorial section 1 (基本使用): ten processes, each prints its index.
#include <memory>
#include <vector>

#include "engine/runtime/api.hpp"
#include "engine/runtime/process.hpp"
#include "scenarios/registry.hpp"

namespace mpviz::scenarios {

ScenarioDef basic() {
  ScenarioDef d;
  d.info.name = "basic";
  d.info.section = "1";
  d.info.title_zh = "基本使用：创建十个进程";
  d.info.title_en = "Basic use: start ten processes";
  d.info.explain_zh =
      "主进程用 Process(target=process, args=(i,)) 依次启动十个子进程，每个子进程打印自己的编号。"
      "注意看：打印的顺序不一定是启动的顺序——谁先运行由操作系统调度决定。"
      "主进程没有调用 join()，但它结束前 Python 仍会等待所有非守护子进程退出。";
  d.info.explain_en =
      "Main starts ten children with Process(target=process, args=(i,)); each prints its index. "
      "Watch for: the print order need not match the start order - the OS scheduler decides who "
      "runs first. Main never calls join(), yet Python still waits for its non-daemon children "
      "before the main process ends.";
  d.info.listing_file = "basic.py";
  d.info.params = {
      {"processes", ParamType::Int, int64_t{10}, 1, 64, "number of child processes", "子进程数量"},
  };
  d.entries = {{"process", [](const rt::Args& a) {
                  rt::print("Process: " + std::to_string(a.i(0)));
                }}};
  d.main = [](const ParamValues& p) {
    int64_t n = p.get_int("processes");
    std::vector<std::unique_ptr<rt::Process>> ps;
    for (int64_t i = 0; i < n; ++i) {
      ps.push_back(std::make_unique<rt::Process>("process", rt::Args{i}));
      ps.back()->start();
    }
  };
  return d;
}

}  // namespace mpviz::scenarios
