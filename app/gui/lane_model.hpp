// One lane per process, as a sequence of state segments derived from the
// run's events. GUI-free (no ImGui, no GL) so it can be unit tested.
//
// Events are applied incrementally, in arrival order. Each process writes its
// own events in order, so per-pid order is the real order; across processes
// events may arrive out of order, which does not matter here because a lane
// only looks at its own pid's events. Two exceptions are handled:
//  - a child's first event can arrive before its parent's process_start
//    (different writers), so a lane is created by ANY event of an unknown pid
//    and gets its name and ppid when process_start shows up;
//  - timestamps older than the lane's current segment are clamped to it.
#pragma once
#include <cstdint>
#include <limits>
#include <string>
#include <unordered_map>
#include <vector>

#include "engine/wire/event.hpp"

namespace mpviz::gui {

enum class LaneState : uint8_t {
  Running,   // between traced operations
  Sleeping,  // sleep_begin .. sleep_end
  LockWait,  // lock_wait .. lock_acquire (or op_timeout)
  Holding,   // lock_acquire .. lock_release, while doing nothing else
  Joining,   // join_begin .. join_end
  Blocked,   // waiting on a semaphore, queue or pipe
  Exited,    // after process_exit
  Killed,    // after process_killed
};
inline constexpr int kLaneStateCount = 8;

inline constexpr int64_t kOpenEnd = std::numeric_limits<int64_t>::max();

struct Segment {
  int64_t t0 = 0;
  int64_t t1 = kOpenEnd;  // kOpenEnd: still going (drawn up to "now")
  LaneState state = LaneState::Running;
  bool holding = false;   // holds at least one lock during this segment
  int32_t other = 0;      // joining: target pid
  int16_t obj = -1;       // waiting: index into LaneModel::object_name(), or -1
};

struct Lane {
  int32_t pid = 0;
  int32_t ppid = 0;
  std::string name = "?";
  bool daemon = false;
  bool spawn = false;
  bool forkserver = false;  // Python mode: started by CPython's forkserver
  bool started = false;  // process_start seen
  bool ended = false;    // process_exit or process_killed seen
  int64_t first_ns = 0;
  int64_t end_ns = kOpenEnd;
  int64_t exit_value = 0;  // exit code or signal
  std::string killed_by;
  std::vector<Segment> segments;  // sorted by t0, contiguous

  // Derivation state (not for drawing).
  LaneState activity = LaneState::Running;  // Running = no blocking activity
  int32_t activity_other = 0;
  int16_t activity_obj = -1;
  int locks_held = 0;
};

class LaneModel {
 public:
  void clear();
  // Applies one event (in arrival order).
  void apply(const Event& e);
  // Name of a sync object a segment waits on ("lock", "empty", ...).
  const std::string& object_name(int16_t obj) const { return objects_[static_cast<size_t>(obj)]; }

  const std::vector<Lane>& lanes() const { return lanes_; }
  const Lane* find(int32_t pid) const;
  // Lane position of pid, or -1.
  int index_of(int32_t pid) const;
  int alive() const { return alive_; }
  int64_t last_ns() const { return last_ns_; }
  bool run_ended() const { return run_end_ns_ != kOpenEnd; }
  int64_t run_end_ns() const { return run_end_ns_; }

  // The state a lane shows at time t (for tests and tooltips); Running
  // before the lane's first event.
  static LaneState state_at(const Lane& lane, int64_t t);
  // The segment covering t, or nullptr.
  static const Segment* segment_at(const Lane& lane, int64_t t);

 private:
  Lane& lane_for(int32_t pid, int64_t t);
  // Closes the lane's current segment at t and opens one with the lane's
  // current derived state, unless nothing visible changed.
  void transition(Lane& lane, int64_t t);
  int16_t intern(const std::string& name);

  std::vector<Lane> lanes_;
  std::unordered_map<int32_t, int> by_pid_;
  std::vector<std::string> objects_;  // few (named as in the tutorial): linear search
  int alive_ = 0;
  int64_t last_ns_ = 0;
  int64_t run_end_ns_ = kOpenEnd;
};

const char* lane_state_key(LaneState s);  // "running", "sleeping", ... (stable, for tests)

}  // namespace mpviz::gui
