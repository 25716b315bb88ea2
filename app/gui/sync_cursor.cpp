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
    if (!replay_ || replay_rewrite_ != run.rewrite_generation()) {
      replay_ = std::make_unique<ReplayModel>(evs);
      replay_rewrite_ = run.rewrite_generation();
    }
    const int64_t at = t == kCursorNow ? replay_->t_end() : t;
    state_ = replay_->state_at(at);
    applied_ = count_until(evs, at);
    return;
  }
  replay_.reset();
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
