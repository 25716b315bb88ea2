// The timeline's state derivation (app/gui/lane_model), without a window.
#include "app/gui/lane_model.hpp"

#include <gtest/gtest.h>

namespace mpviz::gui {
namespace {

constexpr int64_t ms = 1'000'000;

Event ev(EventKind k, int32_t pid, int64_t t, const char* name = "", int32_t other = 0) {
  Event e = make_event(k, pid, t);
  e.name = name;
  e.other = other;
  return e;
}

TEST(LaneModel, LockCycleGivesSleepWaitHoldRun) {
  LaneModel m;
  m.apply(ev(EventKind::process_start, 10, 0, "MyProcess-1", 1));
  m.apply(ev(EventKind::sleep_begin, 10, 1 * ms));
  m.apply(ev(EventKind::sleep_end, 10, 101 * ms));
  m.apply(ev(EventKind::lock_wait, 10, 102 * ms, "lock"));
  m.apply(ev(EventKind::lock_acquire, 10, 150 * ms, "lock"));
  m.apply(ev(EventKind::print, 10, 151 * ms));
  m.apply(ev(EventKind::lock_release, 10, 152 * ms, "lock"));
  ASSERT_EQ(m.lanes().size(), 1u);
  const Lane& l = m.lanes()[0];
  EXPECT_EQ(l.name, "MyProcess-1");
  EXPECT_EQ(l.ppid, 1);
  EXPECT_EQ(LaneModel::state_at(l, 0), LaneState::Running);
  EXPECT_EQ(LaneModel::state_at(l, 50 * ms), LaneState::Sleeping);
  EXPECT_EQ(LaneModel::state_at(l, 101 * ms), LaneState::Running);
  EXPECT_EQ(LaneModel::state_at(l, 120 * ms), LaneState::LockWait);
  const Segment* wait = LaneModel::segment_at(l, 120 * ms);
  ASSERT_NE(wait, nullptr);
  ASSERT_GE(wait->obj, 0);
  EXPECT_EQ(m.object_name(wait->obj), "lock");
  EXPECT_EQ(LaneModel::state_at(l, 151 * ms), LaneState::Holding);
  EXPECT_EQ(LaneModel::state_at(l, 153 * ms), LaneState::Running);
  EXPECT_EQ(l.segments.back().t1, kOpenEnd);
  EXPECT_EQ(m.alive(), 1);
}

TEST(LaneModel, SleepingWhileHoldingKeepsTheHoldingMark) {
  LaneModel m;
  m.apply(ev(EventKind::lock_acquire, 10, 0, "lock"));
  m.apply(ev(EventKind::sleep_begin, 10, 10 * ms));
  const Segment* s = LaneModel::segment_at(m.lanes()[0], 20 * ms);
  ASSERT_NE(s, nullptr);
  EXPECT_EQ(s->state, LaneState::Sleeping);
  EXPECT_TRUE(s->holding);
}

TEST(LaneModel, JoinAndBlockedAndExit) {
  LaneModel m;
  m.apply(ev(EventKind::process_start, 1, 0, "MainProcess", 99));
  m.apply(ev(EventKind::join_begin, 1, 5 * ms, "", 10));
  m.apply(ev(EventKind::sem_wait, 10, 6 * ms, "empty"));
  m.apply(ev(EventKind::sem_acquire, 10, 9 * ms, "empty"));
  m.apply(ev(EventKind::process_exit, 10, 12 * ms));
  m.apply(ev(EventKind::join_end, 1, 13 * ms, "", 10));
  const Lane* main = m.find(1);
  const Lane* child = m.find(10);
  ASSERT_TRUE(main && child);
  EXPECT_EQ(LaneModel::state_at(*main, 8 * ms), LaneState::Joining);
  EXPECT_EQ(LaneModel::segment_at(*main, 8 * ms)->other, 10);
  EXPECT_EQ(LaneModel::state_at(*main, 14 * ms), LaneState::Running);
  EXPECT_EQ(LaneModel::state_at(*child, 7 * ms), LaneState::Blocked);
  EXPECT_EQ(LaneModel::state_at(*child, 10 * ms), LaneState::Running);
  EXPECT_EQ(LaneModel::state_at(*child, 20 * ms), LaneState::Exited);
  EXPECT_TRUE(child->ended);
  EXPECT_EQ(child->end_ns, 12 * ms);
  EXPECT_EQ(m.alive(), 1);
}

TEST(LaneModel, KilledWhileWaitingEndsTheLaneAndDropsLaterReports) {
  LaneModel m;
  m.apply(ev(EventKind::process_start, 10, 0, "P"));
  m.apply(ev(EventKind::lock_wait, 10, 1 * ms, "lock"));
  Event k = ev(EventKind::process_killed, 10, 5 * ms);
  k.value = 15;
  k.text = "stop";
  m.apply(k);
  m.apply(ev(EventKind::process_exit, 10, 6 * ms));  // a late duplicate report
  const Lane& l = m.lanes()[0];
  EXPECT_EQ(LaneModel::state_at(l, 3 * ms), LaneState::LockWait);
  EXPECT_EQ(LaneModel::state_at(l, 7 * ms), LaneState::Killed);
  EXPECT_EQ(l.killed_by, "stop");
  EXPECT_EQ(l.exit_value, 15);
  EXPECT_EQ(m.alive(), 0);
}

TEST(LaneModel, ChildEventsBeforeItsStartReportGetTheNameLater) {
  LaneModel m;
  // The child writes before the parent's start() has reported its pid.
  m.apply(ev(EventKind::sleep_begin, 10, 3 * ms));
  m.apply(ev(EventKind::process_start, 10, 2 * ms, "MyProcess-1", 1));
  const Lane& l = m.lanes()[0];
  EXPECT_EQ(l.name, "MyProcess-1");
  EXPECT_EQ(l.first_ns, 2 * ms);
  EXPECT_EQ(l.segments.front().t0, 2 * ms);
  EXPECT_EQ(LaneModel::state_at(l, 4 * ms), LaneState::Sleeping);
}

TEST(LaneModel, AStartReportAfterTheChildDiedStillNamesTheLane) {
  LaneModel m;
  // A Python parent batches its events: the child can be dead and reaped
  // (the supervisor's process_exit) before the parent's report arrives.
  m.apply(ev(EventKind::sleep_begin, 10, 3 * ms));
  Event x = ev(EventKind::process_exit, 10, 9 * ms);
  x.value = 1;
  m.apply(x);
  m.apply(ev(EventKind::process_start, 10, 2 * ms, "MyProcess-5", 1));
  const Lane& l = m.lanes()[0];
  EXPECT_EQ(l.name, "MyProcess-5");
  EXPECT_EQ(l.ppid, 1);
  EXPECT_EQ(l.first_ns, 2 * ms);
  EXPECT_TRUE(l.ended);
  EXPECT_EQ(l.exit_value, 1);
  EXPECT_EQ(LaneModel::state_at(l, 10 * ms), LaneState::Exited);
}

TEST(LaneModel, OutOfOrderTimesNeverGoBackwards) {
  LaneModel m;
  m.apply(ev(EventKind::sleep_begin, 10, 10 * ms));
  m.apply(ev(EventKind::sleep_end, 10, 5 * ms));  // clamped to 10 ms
  const Lane& l = m.lanes()[0];
  for (size_t i = 1; i < l.segments.size(); ++i) {
    EXPECT_LE(l.segments[i - 1].t0, l.segments[i].t0);
    EXPECT_EQ(l.segments[i - 1].t1, l.segments[i].t0);
  }
  EXPECT_EQ(LaneModel::state_at(l, 11 * ms), LaneState::Running);
}

TEST(LaneModel, RunEndIsNotALane) {
  LaneModel m;
  Event e = ev(EventKind::run_end, 0, 42 * ms);
  m.apply(e);
  EXPECT_TRUE(m.lanes().empty());
  EXPECT_TRUE(m.run_ended());
  EXPECT_EQ(m.run_end_ns(), 42 * ms);
}

}  // namespace
}  // namespace mpviz::gui
