// Teacher controls on real processes: kill the process that holds the lock,
// see it recorded as killed by the user, see the waiters stuck and the hint
// say so; the engine stays responsive and stop still cleans up. Live speed.
#include <gtest/gtest.h>
#include <signal.h>

#include <algorithm>
#include <chrono>
#include <set>
#include <thread>

#include "engine/model/deadlock.hpp"
#include "engine/recording/recording.hpp"
#include "engine/control/supervisor.hpp"
#include "mpviz_runner.hpp"
#include "scenarios/registry.hpp"

using namespace mpviz;
using namespace mpviz::test;
using namespace std::chrono_literals;

namespace {
std::vector<Event> sorted(const EventLog& log) {
  auto v = log.snapshot();
  sort_by_time(v);
  return v;
}
}  // namespace

TEST(TeacherControls, KillingTheLockHolderLeavesWaitersStuckAndSaysSo) {
  const ScenarioDef* def = find_scenario(scenarios::all(), "lock");
  EventLog log;
  Supervisor sup(log);
  auto params = ParamValues::defaults(def->info.params);
  params.put("first_loop", int64_t{100000});
  params.put("sleep", 0.0);
  // Step mode makes "who holds the lock" deterministic: let one child take
  // it, then kill that child while the others wait for it.
  ASSERT_FALSE(sup.start(RunRequest{"lock", rt::StartMethod::Fork, 1.0, params, mpviz_exe(), true}));
  auto& steps = sup.steps();
  int holder = 0;
  ASSERT_TRUE(eventually([&] {
    for (const auto& e : log.snapshot())
      if (e.kind == EventKind::lock_acquire) holder = e.pid;
    if (holder) return true;
    steps.step_oldest();
    return false;
  }));
  // Let everyone else run freely into the lock.
  steps.run_free();
  ASSERT_TRUE(eventually([&] {
    int waits = 0;
    for (const auto& e : log.snapshot()) waits += e.kind == EventKind::lock_wait && e.pid != holder;
    return waits >= 1;
  }));
  // The holder was released by run_free too; it may have moved on. Find who
  // holds the lock now, from the model, and kill THAT process.
  std::this_thread::sleep_for(50ms);
  sup.steps().hold();
  std::this_thread::sleep_for(50ms);
  auto m = build_timeline(sorted(log));
  int now_holder = 0;
  for (const auto& s : m.spans)
    if (s.kind == SpanKind::HoldLock && s.open) now_holder = s.pid;
  ASSERT_NE(now_holder, 0);
  EXPECT_FALSE(sup.kill_process(getpid(), SIGKILL)) << "must refuse a pid outside the run";
  ASSERT_TRUE(sup.kill_process(now_holder, SIGKILL));
  sup.steps().run_free();
  ASSERT_TRUE(eventually([&] {
    for (const auto& e : log.snapshot())
      if (e.kind == EventKind::process_killed && e.pid == now_holder) return true;
    return false;
  }));
  std::this_thread::sleep_for(200ms);
  auto evs = sorted(log);
  for (const auto& e : evs)
    if (e.kind == EventKind::process_killed && e.pid == now_holder) {
      EXPECT_EQ(e.text, "user");
      EXPECT_EQ(e.value, SIGKILL);
    }
  // The hint wants a sustained block (200 ms): ask about "now", later.
  std::this_thread::sleep_for(250ms);
  auto report = find_stuck(build_timeline(evs), sup.rel_now());
  ASSERT_EQ(report.dead_holders.size(), 1u) << report.summary_en();
  EXPECT_EQ(report.dead_holders[0].pid, now_holder);
  EXPECT_EQ(report.dead_holders[0].lock, "lock");
  EXPECT_GE(report.dead_holders[0].waiters.size(), 1u);
  EXPECT_TRUE(report.deadlock) << "main joins, children wait on a lock nobody will release";
  EXPECT_NE(report.summary_zh().find("已死亡"), std::string::npos);
  // The engine is responsive: stop completes quickly and cleans up.
  auto t0 = std::chrono::steady_clock::now();
  sup.stop();
  EXPECT_LT(std::chrono::steady_clock::now() - t0, 1500ms);
  EXPECT_EQ(sup.status(), RunStatus::Stopped);
  EXPECT_TRUE(processes_in_group(sup.main_pid()).empty());
}

TEST(TeacherControls, SpeedChangesLive) {
  const ScenarioDef* def = find_scenario(scenarios::all(), "lock");
  EventLog log;
  Supervisor sup(log);
  auto params = ParamValues::defaults(def->info.params);
  params.put("processes", int64_t{1});
  params.put("first_loop", int64_t{40});
  // 40 sleeps of 0.1 s: 4 s at speed 1. Switch to speed 100 right away.
  ASSERT_FALSE(sup.start(RunRequest{"lock", rt::StartMethod::Fork, 1.0, params, mpviz_exe()}));
  sup.set_speed(100.0);
  ASSERT_TRUE(sup.wait(3s)) << "the new speed was not used";
  EXPECT_EQ(sup.status(), RunStatus::Finished);
}

TEST(StuckReport, SemaphoreScenarioIsNotADeadlock) {
  // Producer sleeping while the consumer waits is progress, not a deadlock.
  TimelineModel m;
  m.processes = {{1, 0, "MainProcess", false, false, 0, -1, false, 0, ""},
                 {2, 1, "Producer", true, false, 0, -1, false, 0, ""},
                 {3, 1, "Consumer", true, false, 0, -1, false, 0, ""}};
  m.spans = {{1, SpanKind::Join, 0, 10, true, "2", ""},
             {2, SpanKind::Sleep, 5, 10, true, "", ""},
             {3, SpanKind::WaitSemaphore, 5, 10, true, "full", ""}};
  EXPECT_FALSE(find_stuck(m, 10, 0).deadlock);
  m.spans[1] = {2, SpanKind::WaitSemaphore, 5, 10, true, "empty", ""};
  EXPECT_TRUE(find_stuck(m, 10, 0).deadlock);
  EXPECT_FALSE(find_stuck(m, 10, 100).deadlock) << "blocked for too short a time";
}

TEST(TeacherControls, RequestStopReturnsAtOnceAndTheRunEnds) {
  const ScenarioDef* def = find_scenario(scenarios::all(), "semaphore");
  EventLog log;
  Supervisor sup(log);
  ASSERT_FALSE(sup.start(RunRequest{"semaphore", rt::StartMethod::Fork, 1.0,
                                    ParamValues::defaults(def->info.params), mpviz_exe()}));
  ASSERT_TRUE(eventually([&] { return log.size_relaxed() > 5; }));
  auto t0 = std::chrono::steady_clock::now();
  sup.request_stop();
  EXPECT_LT(std::chrono::steady_clock::now() - t0, 50ms) << "must not block a GUI frame";
  ASSERT_TRUE(sup.wait(2s));
  EXPECT_EQ(sup.status(), RunStatus::Stopped);
  EXPECT_TRUE(processes_in_group(sup.main_pid()).empty());
}

namespace {
StuckReport stuck_at(const std::vector<Event>& evs, int64_t t) {
  std::vector<Event> prefix;
  for (const auto& e : evs)
    if (e.t_ns <= t) prefix.push_back(e);
  return find_stuck(build_timeline(prefix), t);
}
}  // namespace

TEST(DeadlockHint, FiresOnTwoLocksInOppositeOrder) {
  auto r = run_recorded({"run", "deadlock", "--speed", "10", "--duration", "1"}, 20);
  ASSERT_EQ(r.cmd.exit_code, 0) << r.cmd.err;
  const auto& evs = r.rec.events;
  int64_t t_stop = evs.back().t_ns;
  for (const auto& e : evs)
    if (e.kind == EventKind::process_killed) t_stop = std::min(t_stop, e.t_ns - 1);
  auto report = stuck_at(evs, t_stop);
  EXPECT_TRUE(report.deadlock) << report.summary_en();
  std::set<std::string> waited;
  for (const auto& b : report.blocked) waited.insert(b.obj);
  EXPECT_TRUE(waited.count("lock_a") && waited.count("lock_b"));
  EXPECT_NE(report.summary_zh().find("死锁"), std::string::npos);
  EXPECT_TRUE(processes_in_group(main_pid(r.rec)).empty());
}

TEST(DeadlockHint, StaysQuietOnHealthyRuns) {
  for (std::string scenario : {"lock", "semaphore", "pool-apply-async", "pipe"}) {
    auto r = run_recorded({"run", scenario, "--speed", "20", "--duration", "1.5"}, 20);
    ASSERT_EQ(r.cmd.exit_code, 0) << r.cmd.err;
    const auto& evs = r.rec.events;
    int64_t t_end = evs.back().t_ns;
    for (const auto& e : evs)
      if (e.kind == EventKind::process_killed) t_end = std::min(t_end, e.t_ns - 1);
    for (int64_t t = 0; t < t_end; t += 25'000'000)
      EXPECT_FALSE(stuck_at(evs, t).deadlock) << scenario << " at t=" << t;
  }
}
