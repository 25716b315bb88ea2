#include "app/gui/sync_cursor.hpp"

#include <algorithm>

namespace mpviz::gui {
namespace {

size_t count_until(const std::vector<Event>& evs, int64_t t) {
  return static_cast<size_t>(std::upper_bound(evs.begin(), evs.end(), t,
                                              [](int64_t v, const Event& e) { return v < e.t_ns; }) -
                             evs.begin());
}

}  // namespace

void SyncCursor::update(const RunModel& run, int64_t t) {
  const std::vector<Event>& evs = run.events();
  if (run.generation() == cached_gen_ && t == cached_t_) return;
  cached_gen_ = run.generation();
  cached_t_ = t;

  if (run.loaded()) {
    // As ReplayModel (a SyncState every kCheckpointEvery events), but over
    // the run's own events: no second copy of a million-event recording.
    if (checkpoints_.empty() || replay_rewrite_ != run.rewrite_generation() ||
        replay_events_ != evs.size()) {
      checkpoints_.clear();
      SyncState st;
      checkpoints_.push_back(st);
      for (size_t i = 0; i < evs.size(); ++i) {
        st.apply(evs[i]);
        if ((i + 1) % kCheckpointEvery == 0) checkpoints_.push_back(st);
      }
      replay_rewrite_ = run.rewrite_generation();
      replay_events_ = evs.size();
    }
    const int64_t at = t == kCursorNow ? (evs.empty() ? 0 : evs.back().t_ns) : t;
    applied_ = count_until(evs, at);
    const size_t k = std::min(applied_ / kCheckpointEvery, checkpoints_.size() - 1);
    state_ = checkpoints_[k];
    for (size_t i = k * kCheckpointEvery; i < applied_; ++i) state_.apply(evs[i]);
    return;
  }
  checkpoints_.clear();
  if (live_rewrite_ != run.rewrite_generation()) {
    live_ = SyncState{};
    live_applied_ = 0;
    live_rewrite_ = run.rewrite_generation();
  }
  for (; live_applied_ < evs.size(); ++live_applied_) live_.apply(evs[live_applied_]);
  if (t == kCursorNow || (!evs.empty() && t >= evs.back().t_ns)) {
    state_ = live_;
    applied_ = evs.size();
    return;
  }
  state_ = SyncState{};
  applied_ = count_until(evs, t);
  for (size_t i = 0; i < applied_; ++i) state_.apply(evs[i]);
}

}  // namespace mpviz::gui
