// The tutorial's MyProcess (sections 2 and 3): a Process subclass that loops
// `loop` times, sleeping and printing its pid and loop count.
#pragma once
#include <memory>
#include <string>
#include <vector>

#include "engine/runtime/api.hpp"
#include "engine/runtime/process.hpp"
#include "engine/scenario/scenario.hpp"

namespace mpviz::scenarios {

class LoopingProcess : public rt::Process {
 public:
  static constexpr const char* kEntry = "MyProcess";
  LoopingProcess(int64_t loop, double sleep_s)
      : Process(kEntry, {loop, sleep_s}, "MyProcess"), loop_(loop), sleep_s_(sleep_s) {}

  void run() override {
    for (int64_t count = 0; count < loop_; ++count) {
      rt::sleep(sleep_s_);
      rt::print("Pid: " + std::to_string(rt::getpid()) + " LoopCount: " + std::to_string(count));
    }
  }

  // What a spawned child runs: rebuild the object from its pickled fields.
  static EntryDef entry() {
    return {kEntry, [](const rt::Args& a) { LoopingProcess(a.i(0), a.f(1)).run(); }};
  }

 private:
  int64_t loop_;
  double sleep_s_;
};

// Sections 2 and 3 share their program's start: `processes` daemon children
// with loop = first_loop, first_loop + 1, ...; and the parameters for it.
inline std::vector<ParamSpec> looping_params() {
  return {
      {"processes", ParamType::Int, int64_t{3}, 1, 32, "number of child processes", "子进程数量"},
      {"first_loop", ParamType::Int, int64_t{2}, 0, 100, "loop count of the first child",
       "第一个子进程的循环次数"},
      {"sleep", ParamType::Float, 1.0, 0.0, 10.0, "seconds slept per loop", "每次循环睡眠秒数"},
  };
}

inline std::vector<std::unique_ptr<LoopingProcess>> start_daemon_loopers(const ParamValues& p) {
  std::vector<std::unique_ptr<LoopingProcess>> ps;
  int64_t first = p.get_int("first_loop");
  for (int64_t i = first; i < first + p.get_int("processes"); ++i) {
    ps.push_back(std::make_unique<LoopingProcess>(i, p.get_float("sleep")));
    ps.back()->daemon = true;
    ps.back()->start();
  }
  return ps;
}

}  // namespace mpviz::scenarios
