// The readable text timeline `mpviz run` prints while a run goes on:
//   0.103s  4243 Process-2     print        Process: 1
#pragma once
#include <map>
#include <string>
#include <vector>

#include "engine/wire/event.hpp"

namespace mpviz::cli {

class TextTimeline {
 public:
  explicit TextTimeline(bool colour) : colour_(colour) {}
  // Returns the line for an event (no newline); remembers process names.
  std::string line(const Event& e);
  std::string name_of(int32_t pid) const;

 private:
  std::string who(int32_t pid);
  std::string describe(const Event& e);
  bool colour_;
  std::map<int32_t, std::string> names_;
  std::map<int32_t, int> colours_;
};

// Events of different processes arrive slightly out of order (a child can
// print before its parent reports starting it). The live text timeline holds
// events for a short window and releases them sorted by time.
class ReorderBuffer {
 public:
  void push(const std::vector<Event>& evs);
  // Moves out, sorted, every held event with t_ns <= horizon.
  std::vector<Event> take_until(int64_t horizon);
  std::vector<Event> take_all();

 private:
  std::vector<Event> held_;
};

}  // namespace mpviz::cli
