#include "app/gui/lane_model.hpp"

#include <algorithm>

namespace mpviz::gui {

const char* lane_state_key(LaneState s) {
  switch (s) {
    case LaneState::Running: return "running";
    case LaneState::Sleeping: return "sleeping";
    case LaneState::LockWait: return "lock_wait";
    case LaneState::Holding: return "holding";
    case LaneState::Joining: return "joining";
    case LaneState::Blocked: return "blocked";
    case LaneState::Exited: return "exited";
    case LaneState::Killed: return "killed";
  }
  return "?";
}

void LaneModel::clear() {
  lanes_.clear();
  by_pid_.clear();
  objects_.clear();
  alive_ = 0;
  last_ns_ = 0;
  run_end_ns_ = kOpenEnd;
}

const Lane* LaneModel::find(int32_t pid) const {
  int i = index_of(pid);
  return i < 0 ? nullptr : &lanes_[static_cast<size_t>(i)];
}

int LaneModel::index_of(int32_t pid) const {
  auto it = by_pid_.find(pid);
  return it == by_pid_.end() ? -1 : it->second;
}

Lane& LaneModel::lane_for(int32_t pid, int64_t t) {
  auto it = by_pid_.find(pid);
  if (it != by_pid_.end()) return lanes_[static_cast<size_t>(it->second)];
  by_pid_.emplace(pid, static_cast<int>(lanes_.size()));
  Lane& l = lanes_.emplace_back();
  l.pid = pid;
  l.first_ns = t;
  ++alive_;
  return l;
}

int16_t LaneModel::intern(const std::string& name) {
  for (size_t i = 0; i < objects_.size(); ++i)
    if (objects_[i] == name) return static_cast<int16_t>(i);
  if (objects_.size() >= 32000) return -1;
  objects_.push_back(name);
  return static_cast<int16_t>(objects_.size() - 1);
}

void LaneModel::transition(Lane& lane, int64_t t) {
  LaneState st = lane.activity;
  if (st == LaneState::Running && lane.locks_held > 0) st = LaneState::Holding;
  Segment next{t, kOpenEnd, st, lane.locks_held > 0, lane.activity_other, lane.activity_obj};
  if (!lane.segments.empty()) {
    Segment& cur = lane.segments.back();
    if (cur.state == next.state && cur.holding == next.holding && cur.other == next.other &&
        cur.obj == next.obj)
      return;
    next.t0 = std::max(t, cur.t0);  // clamp: never go back in time within a lane
    if (next.t0 == cur.t0) {        // zero-length segment: replace it
      cur = next;
      return;
    }
    cur.t1 = next.t0;
  }
  lane.segments.push_back(next);
}

void LaneModel::apply(const Event& e) {
  last_ns_ = std::max(last_ns_, e.t_ns);
  if (e.kind == EventKind::run_end) {
    run_end_ns_ = e.t_ns;
    return;
  }
  if (e.pid == 0) return;
  Lane& lane = lane_for(e.pid, e.t_ns);
  // Nothing after the end (a late duplicate report), except the parent's
  // process_start: a Python parent's report can come after the child's
  // death (its events are batched), and it still names the lane.
  if (lane.ended && e.kind != EventKind::process_start) return;
  if (lane.segments.empty()) transition(lane, e.t_ns);

  switch (e.kind) {
    case EventKind::process_start:
      lane.started = true;
      lane.ppid = e.other;
      lane.name = e.name;
      lane.daemon = (e.flags & kFlagDaemon) != 0;
      lane.spawn = (e.flags & kFlagSpawn) != 0;
      lane.forkserver = (e.flags & kFlagForkserver) != 0;
      // The parent's report can arrive after the child's own first events
      // but carries the earlier time: the lane starts there.
      if (e.t_ns < lane.first_ns) {
        lane.first_ns = e.t_ns;
        lane.segments.front().t0 = e.t_ns;
      }
      return;
    case EventKind::process_exit:
    case EventKind::process_killed:
      lane.ended = true;
      lane.end_ns = std::max(e.t_ns, lane.segments.back().t0);
      lane.exit_value = e.value;
      if (e.kind == EventKind::process_killed) lane.killed_by = e.text;
      lane.activity = e.kind == EventKind::process_exit ? LaneState::Exited : LaneState::Killed;
      lane.activity_other = 0;
      lane.activity_obj = -1;
      lane.locks_held = 0;
      --alive_;
      break;
    case EventKind::sleep_begin: lane.activity = LaneState::Sleeping; break;
    case EventKind::lock_wait:
      lane.activity = LaneState::LockWait;
      lane.activity_obj = intern(e.name);
      break;
    case EventKind::lock_acquire:
      ++lane.locks_held;
      lane.activity = LaneState::Running;
      lane.activity_obj = -1;
      break;
    case EventKind::lock_release:
      lane.locks_held = std::max(0, lane.locks_held - 1);
      break;
    case EventKind::join_begin:
      lane.activity = LaneState::Joining;
      lane.activity_other = e.other;
      break;
    case EventKind::sem_wait:
    case EventKind::queue_put_wait:
    case EventKind::queue_get_wait:
    case EventKind::pipe_recv_wait:
      lane.activity = LaneState::Blocked;
      lane.activity_obj = intern(e.name);
      break;
    case EventKind::sleep_end:
    case EventKind::join_end:
    case EventKind::sem_acquire:
    case EventKind::queue_put:
    case EventKind::queue_get:
    case EventKind::pipe_recv:
    case EventKind::op_timeout:
      lane.activity = LaneState::Running;
      lane.activity_other = 0;
      lane.activity_obj = -1;
      break;
    default:
      return;  // print, sem_release, pipe_send, pool_*: no state change
  }
  transition(lane, e.t_ns);
}

const Segment* LaneModel::segment_at(const Lane& lane, int64_t t) {
  const auto& s = lane.segments;
  auto it = std::upper_bound(s.begin(), s.end(), t,
                             [](int64_t v, const Segment& seg) { return v < seg.t0; });
  if (it == s.begin()) return nullptr;
  --it;
  return t < it->t1 ? &*it : nullptr;
}

LaneState LaneModel::state_at(const Lane& lane, int64_t t) {
  const Segment* s = segment_at(lane, t);
  return s ? s->state : LaneState::Running;
}

}  // namespace mpviz::gui
