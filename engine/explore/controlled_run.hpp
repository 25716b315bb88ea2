// One run on real processes, held at every traced operation, where a
// Strategy chooses who goes next; or a free run (no strategy). The loop
// waits until the run has "settled" (every live process is held at its next
// operation or blocked on something) before each choice, so that a choice
// means the same thing in every run; it sees a deadlock when nothing is
// held, every live process is blocked, and that lasts.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "engine/control/supervisor.hpp"
#include "engine/explore/schedule.hpp"
#include "engine/explore/step_driver.hpp"
#include "engine/explore/strategy.hpp"

namespace mpviz::explore {


struct ControlledRunResult {
  std::string status;  // finished / deadlock / failed / stopped / pruned / error
  std::string error;   // with "error": why the run could not start
  std::vector<Event> events;  // normalized as in a recording (sorted, run_end last)
  std::vector<ScheduleStep> steps;  // what was granted, in order
  bool off_path = false;            // replay: a step did not find its operation
  std::vector<std::string> deadlocked;  // "name: waits for obj", when status is deadlock
};

// `strategy` null: a free run (nothing held). The request's start_held is
// set as needed.
ControlledRunResult controlled_run(RunRequest req, Strategy* strategy, const DriveLimits& lim = {});

}  // namespace mpviz::explore
