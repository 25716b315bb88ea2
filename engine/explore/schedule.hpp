// A schedule: the order in which a held run's operations were granted, as a
// small JSON file, so that `mpviz run ... --schedule FILE` replays it on real
// processes. A step names the process by its name (pids differ between
// runs) and says which operation it was, so a replay can tell when it went
// off the recorded path.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "engine/wire/event.hpp"

namespace mpviz::explore {

struct ScheduleStep {
  std::string proc;  // the process's name ("MyProcess-2"; "#k" added to the k-th of equal names)
  EventKind kind = EventKind::print;
  std::string obj;
  bool operator==(const ScheduleStep&) const = default;
};

struct Schedule {
  std::string target;    // scenario name or program path
  std::string method;    // fork / spawn / forkserver
  std::string strategy;  // random / pct / systematic / replay
  uint64_t seed = 0;
  double speed = 0;      // explore runs skip sleeps by default
  std::vector<std::pair<std::string, std::string>> params;
  std::vector<ScheduleStep> steps;
};

std::string to_json(const Schedule& s);
// nullopt with `err` set ("line N: ...") for anything that is not a schedule.
std::optional<Schedule> schedule_from_json(const std::string& text, std::string& err);

}  // namespace mpviz::explore
