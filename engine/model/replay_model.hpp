// Random access into a recording's time: the state at any instant t. A
// checkpoint of the full SyncState is kept every kCheckpointEvery events, so
// state_at(t) costs one binary search, one copy and at most
// kCheckpointEvery applied events — a million-event recording scrubs as
// fast as a small one.
#pragma once
#include <vector>

#include "engine/model/sync_state.hpp"

namespace mpviz {

class ReplayModel {
 public:
  static constexpr size_t kCheckpointEvery = 4096;

  explicit ReplayModel(std::vector<Event> events);  // sorted by t_ns
  SyncState state_at(int64_t t) const;
  // Events applied by the last state_at() past its checkpoint (for tests).
  size_t last_applied() const { return last_applied_; }
  const std::vector<Event>& events() const { return events_; }
  int64_t t_begin() const { return events_.empty() ? 0 : events_.front().t_ns; }
  int64_t t_end() const { return events_.empty() ? 0 : events_.back().t_ns; }

 private:
  std::vector<Event> events_;
  std::vector<SyncState> checkpoints_;  // checkpoints_[k]: after events [0, k*N)
  mutable size_t last_applied_ = 0;
};

}  // namespace mpviz
