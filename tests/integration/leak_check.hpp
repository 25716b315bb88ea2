// The "nothing left behind" fixture: every integration test derives from it.
// After the test body: no process of any recorded run is alive, no process
// is left in a run's process group, no zombie child, no new /dev/shm entry.
#pragma once
#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "mpviz_runner.hpp"

namespace mpviz::test {

class LeakCheckedTest : public ::testing::Test {
 protected:
  void SetUp() override { shm_before_ = shm_entries(); }

  void TearDown() override {
    for (const auto& rec : checked_) {
      int pgid = main_pid(rec);
      // Pids are reused only after a wrap-around; give the kernel a moment
      // to finish tearing down processes that were just reaped.
      for (int i = 0; i < 20 && !processes_in_group(pgid).empty(); ++i)
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
      EXPECT_TRUE(processes_in_group(pgid).empty()) << "processes left in group " << pgid;
      for (const auto* e : of_kind(rec, EventKind::process_start))
        EXPECT_FALSE(process_alive(e->pid)) << "process " << e->pid << " (" << e->name
                                            << ") is still alive";
    }
    EXPECT_EQ(zombie_children(), 0);
    // This test failed the check; the next ones must not fail it for us
    // (orphans of a run killed on a timeout come to this process, the
    // engine's subreaper).
    reap_zombie_children();
    // CPython's own named semaphores (sem.mp-*, Python mode) may belong to a
    // test running in parallel; leak_check_after_all checks them once every
    // test is over.
    auto after = shm_entries();
    for (const auto& n : after)
      if (n.rfind("sem.mp-", 0) != 0) {
        EXPECT_TRUE(shm_before_.count(n)) << "new /dev/shm entry left behind: " << n;
      }
  }

  // Registers a run's recording for the leak check and returns it.
  RunResult checked(RunResult r) {
    checked_.push_back(r.rec);
    return r;
  }

 private:
  std::set<std::string> shm_before_;
  std::vector<Recording> checked_;
};

}  // namespace mpviz::test
