// What a run came to, as a student would compare two runs: the lines it
// printed in order, the final values of its shared objects, each process's
// exit code, and whether it finished, deadlocked or failed. Real pids in
// printed text are replaced by the process's name (`<pid of Process-3>`),
// or two runs that did the same would never look alike.
#pragma once
#include <map>
#include <string>
#include <vector>

#include "engine/wire/event.hpp"

namespace mpviz::explore {

struct Outcome {
  std::string status;  // finished / deadlock / failed / stopped
  std::vector<std::string> output;
  std::map<std::string, std::string> finals;  // object -> last value (semaphores, Values)
  std::map<std::string, std::string> exits;   // process name -> "exit N" / "killed by signal S"
  bool operator<(const Outcome& o) const {
    return std::tie(status, output, finals, exits) < std::tie(o.status, o.output, o.finals, o.exits);
  }
  bool operator==(const Outcome& o) const = default;
};

// `events`: a normalized recording's events (time order).
Outcome outcome_of(const std::string& status, const std::vector<Event>& events);

}  // namespace mpviz::explore
