#include "engine/model/replay_model.hpp"

#include <algorithm>

namespace mpviz {

ReplayModel::ReplayModel(std::vector<Event> events) : events_(std::move(events)) {
  SyncState s;
  checkpoints_.push_back(s);
  for (size_t i = 0; i < events_.size(); ++i) {
    s.apply(events_[i]);
    if ((i + 1) % kCheckpointEvery == 0) checkpoints_.push_back(s);
  }
}

SyncState ReplayModel::state_at(int64_t t) const {
  // Number of events with t_ns <= t.
  size_t n = static_cast<size_t>(
      std::upper_bound(events_.begin(), events_.end(), t,
                       [](int64_t v, const Event& e) { return v < e.t_ns; }) -
      events_.begin());
  size_t k = std::min(n / kCheckpointEvery, checkpoints_.size() - 1);
  SyncState s = checkpoints_[k];
  last_applied_ = 0;
  for (size_t i = k * kCheckpointEvery; i < n; ++i, ++last_applied_) s.apply(events_[i]);
  return s;
}

}  // namespace mpviz
