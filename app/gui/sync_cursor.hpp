// The sync-object state (SyncState) at the time cursor, kept up to date
// cheaply: a live run at "now" applies only the new events; a loaded
// recording keeps checkpoints as the ReplayModel does (over the run's own
// events, not a copy); a live run's past is rebuilt only when the cursor or
// the events change. GUI-free.
#pragma once
#include <cstdint>
#include <memory>
#include <vector>

#include "app/gui/run_model.hpp"
#include "engine/model/replay_model.hpp"
#include "engine/model/sync_state.hpp"

namespace mpviz::gui {

inline constexpr int64_t kCursorNow = -1;

class SyncCursor {
 public:
  // t = kCursorNow: the latest state.
  void update(const RunModel& run, int64_t t);
  const SyncState& state() const { return state_; }
  // Index of the first event later than the state (events [0, n) applied).
  size_t applied() const { return applied_; }

 private:
  SyncState live_;             // incremental, all events
  size_t live_applied_ = 0;
  uint64_t live_rewrite_ = ~0ull;
  // Loaded recordings: the state after events [0, k * kCheckpointEvery).
  static constexpr size_t kCheckpointEvery = ReplayModel::kCheckpointEvery;
  std::vector<SyncState> checkpoints_;
  uint64_t replay_rewrite_ = ~0ull;
  size_t replay_events_ = 0;
  SyncState state_;
  size_t applied_ = 0;
  uint64_t cached_gen_ = ~0ull;
  int64_t cached_t_ = -2;
};

}  // namespace mpviz::gui
