// The decision loop of a held run, one tick at a time, so that both a
// headless run (controlled_run) and the window's frame loop (the Explore
// panel's live replay) can drive real processes with a Strategy. Fed the
// run's new events and its held operations; says whom to grant when the run
// has settled, and when it has deadlocked.
#pragma once
#include <atomic>
#include <chrono>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "engine/control/step_control.hpp"
#include "engine/explore/strategy.hpp"

namespace mpviz::explore {

struct DriveLimits {
  int max_steps = 5000;          // then the run is stopped ("stopped")
  double max_seconds = 30;       // wall time, likewise
  double settle_quiet_ms = 2;    // no new event for this long: settled
  double settle_max_ms = 300;    // a process computing for longer: choose anyway
  double deadlock_ms = 300;      // all blocked, nothing held, for this long
  double replay_wait_ms = 1000;  // replay: how long to wait for the recorded process
  double min_step_ms = 0;        // live replay in the window: at least this long between steps
  const std::atomic<bool>* cancel = nullptr;  // set: the run is stopped ("stopped")
};

class StepDriver {
 public:
  StepDriver(Strategy& s, const DriveLimits& lim);

  void on_events(const std::vector<Event>& fresh);
  struct Decision {
    int32_t grant = 0;        // grant this pid now (then call granted())
    std::string verdict;      // "", "deadlock", "pruned", "stopped"
  };
  Decision tick(const std::vector<PendingOp>& pending);
  // The grant of `pid` went through (StepControl::step_pid returned true).
  void granted(int32_t pid);

  const std::vector<ScheduleStep>& steps() const { return steps_; }
  std::vector<std::string> blocked() const;  // "name: waits for obj"
  bool off_path() const { return strategy_.off_path(); }

 private:
  using Clock = std::chrono::steady_clock;
  struct P {
    std::string name;
    bool ended = false;
    bool waiting = false;  // an open wait: lock/sem/queue/pipe/join
    std::string waits_for;
  };
  Strategy& strategy_;
  DriveLimits lim_;
  std::map<int32_t, P> procs_;
  std::map<std::string, int> name_count_;
  std::vector<ScheduleStep> steps_;
  Clock::time_point start_, last_event_, since_choice_, wait_started_;
  bool asked_to_wait_ = false;
  int32_t granted_pid_ = 0;
  uint64_t granted_seq_ = 0;
  std::vector<ReadyOp> ready_;  // of the last decision
};

// The kernel's word on a process that is neither held nor in a traced wait.
bool idle_in_kernel(int32_t pid);

}  // namespace mpviz::explore
