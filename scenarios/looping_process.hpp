// The tutorial's MyProcess (sections 2 and 3): a Process subclass that loops
// `loop` times, sleeping and printing its pid and loop count.
#pragma once
#include <string>

#include "engine/runtime/api.hpp"
#include "engine/runtime/process.hpp"
#include "engine/scenario.hpp"

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

}  // namespace mpviz::scenarios
