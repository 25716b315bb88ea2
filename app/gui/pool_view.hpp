// The process pool at the time cursor, derived from the pool events up to it
// (pool_submit / pool_task_begin / pool_task_end): which tasks wait for a
// worker, which worker runs which task now, which tasks finished and what
// they returned. GUI-free (the sync panel draws it).
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "engine/wire/event.hpp"

namespace mpviz::gui {

struct PoolTaskInfo {
  enum class Stage : uint8_t { Waiting, Running, Done };
  int32_t task = 0;
  std::string func;
  Stage stage = Stage::Waiting;
  int32_t worker = 0;      // pid of the worker (Running / Done), 0 before
  int64_t t_submit = -1;   // -1: not seen
  int64_t t_begin = -1, t_end = -1;
  std::string result;      // pool_task_end's text
};

struct PoolView {
  std::vector<PoolTaskInfo> tasks;  // in submission (first seen) order
  bool empty() const { return tasks.empty(); }
  size_t count(PoolTaskInfo::Stage st) const;
};

// The pool as of events[0, n) (n is clamped to the size).
PoolView build_pool_view(const std::vector<Event>& events, size_t n);

}  // namespace mpviz::gui
