// Step mode on real processes: held processes do nothing; a step lets
// exactly the chosen process do its next operation; "run" lets all go.
#include <gtest/gtest.h>

#include <chrono>
#include <algorithm>
#include <thread>

#include "engine/control/supervisor.hpp"
#include "mpviz_runner.hpp"
#include "scenarios/registry.hpp"

using namespace mpviz;
using namespace mpviz::test;
using namespace std::chrono_literals;

namespace {

int count(const EventLog& log, EventKind k) {
  int n = 0;
  for (const auto& e : log.snapshot()) n += e.kind == k;
  return n;
}

class StepMode : public ::testing::TestWithParam<std::string> {
 protected:
  void start(const std::string& scenario, std::vector<std::string> sets) {
    const ScenarioDef* def = find_scenario(scenarios::all(), scenario);
    auto params = ParamValues::defaults(def->info.params);
    for (const auto& s : sets) ASSERT_FALSE(params.set(def->info.params, s));
    auto m = *rt::method_from_name(GetParam());
    ASSERT_FALSE(sup.start(RunRequest{scenario, m, 50.0, params, mpviz_exe(), true}));
  }
  void TearDown() override {
    sup.stop();
    EXPECT_TRUE(processes_in_group(sup.main_pid()).empty());
  }
  EventLog log;
  Supervisor sup{log};
};

}  // namespace

TEST_P(StepMode, HeldProcessesDoNothingUntilStepped) {
  start("lock", {"processes=2", "first_loop=2"});
  auto& steps = sup.steps();
  ASSERT_TRUE(eventually([&] { return steps.pending().size() == 1; }));
  auto p = steps.pending();
  EXPECT_EQ(p[0].pid, sup.main_pid());
  EXPECT_EQ(p[0].kind, EventKind::process_start);
  // Held: nothing happens, however long we wait.
  size_t before = log.size();
  std::this_thread::sleep_for(300ms);
  EXPECT_EQ(log.size(), before);
  EXPECT_EQ(count(log, EventKind::process_start), 1);  // only main

  // One step: main starts exactly one child, which is then held too.
  ASSERT_TRUE(steps.step_oldest());
  ASSERT_TRUE(eventually([&] { return count(log, EventKind::process_start) == 2; }));
  ASSERT_TRUE(eventually([&] { return steps.pending().size() == 2; }));
  std::this_thread::sleep_for(100ms);
  EXPECT_EQ(count(log, EventKind::process_start), 2);
  EXPECT_EQ(count(log, EventKind::sleep_begin), 0);

  // Run freely: the scenario completes.
  steps.run_free();
  ASSERT_TRUE(sup.wait(10s));
  EXPECT_EQ(sup.status(), RunStatus::Finished);
  EXPECT_EQ(count(log, EventKind::print), 2 + 3);
}

// "You are the scheduler": two processes wait to acquire the same lock; the
// one the teacher picks gets it first, whichever arrived first.
TEST_P(StepMode, ChosenWaiterAcquiresTheLockFirst) {
  start("lock", {"processes=2", "first_loop=1", "sleep=0"});
  auto& steps = sup.steps();
  int mainp = sup.main_pid();
  // Step everything until both children are held before acquiring the lock.
  std::vector<int> at_acquire;
  ASSERT_TRUE(eventually([&] {
    auto p = steps.pending();
    at_acquire.clear();
    for (const auto& op : p)
      if (op.kind == EventKind::lock_acquire) at_acquire.push_back(op.pid);
    if (at_acquire.size() == 2) return true;
    for (const auto& op : p)
      if (op.kind != EventKind::lock_acquire && !(op.pid == mainp && op.kind != EventKind::process_start)) {
        steps.step_pid(op.pid);
        break;
      }
    return false;
  }));
  // at_acquire is oldest first; choose the younger one.
  int chosen = at_acquire[1], other = at_acquire[0];
  ASSERT_TRUE(steps.step_pid(chosen));
  ASSERT_TRUE(eventually([&] { return count(log, EventKind::lock_acquire) == 1; }));
  for (const auto& e : log.snapshot())
    if (e.kind == EventKind::lock_acquire) {
      EXPECT_EQ(e.pid, chosen);
    }
  steps.run_free();
  ASSERT_TRUE(sup.wait(10s));
  int first_acquirer = 0;
  for (const auto& e : log.snapshot())
    if (e.kind == EventKind::lock_acquire && !first_acquirer) first_acquirer = e.pid;
  EXPECT_EQ(first_acquirer, chosen);
  EXPECT_NE(first_acquirer, other);
}

INSTANTIATE_TEST_SUITE_P(Methods, StepMode, ::testing::Values("fork", "spawn"));

namespace {
// Kinds that mark the start of one gated operation (each step lets exactly
// one of these happen).
bool starts_operation(const Event& e) {
  switch (e.kind) {
    case EventKind::process_start:
    case EventKind::sleep_begin:
    case EventKind::print:
    case EventKind::lock_wait:
    case EventKind::lock_release:
    case EventKind::join_begin:
      return true;
    default:
      return false;
  }
}
int operations(const EventLog& log) {
  int n = 0;
  for (const auto& e : log.snapshot()) n += starts_operation(e) && e.name != "MainProcess";
  return n;
}
}  // namespace

TEST_P(StepMode, NStepsLetExactlyNOperationsThrough) {
  start("lock", {"processes=2", "first_loop=3", "sleep=0"});
  auto& steps = sup.steps();
  ASSERT_TRUE(eventually([&] { return steps.pending().size() == 1; }));
  int before = operations(log);
  for (int n = 1; n <= 12; ++n) {
    auto pend = steps.pending();
    ASSERT_FALSE(pend.empty()) << "step " << n;
    uint64_t stepped_seq = pend.front().seq;
    ASSERT_TRUE(steps.step_oldest());
    // Wait until the stepped operation has happened and its process (or a
    // new child) is held again.
    ASSERT_TRUE(eventually([&] { return operations(log) == before + n; })) << "step " << n;
    ASSERT_TRUE(eventually([&] {
      auto p = steps.pending();
      return !p.empty() && std::none_of(p.begin(), p.end(),
                                        [&](const PendingOp& o) { return o.seq == stepped_seq; });
    }));
    std::this_thread::sleep_for(20ms);
    EXPECT_EQ(operations(log), before + n) << "step " << n << " let more than one operation through";
  }
}

// Three processes wait on one lock; the chosen one gets it, round after round.
TEST_P(StepMode, SchedulerHandsTheLockToTheChosenWaiterRepeatedly) {
  start("lock", {"processes=3", "first_loop=3", "sleep=0"});
  auto& steps = sup.steps();
  int mainp = sup.main_pid();
  auto acquirers = [&] {
    std::vector<int> v;
    for (const auto& e : log.snapshot())
      if (e.kind == EventKind::lock_acquire) v.push_back(e.pid);
    return v;
  };
  for (int round = 0; round < 3; ++round) {
    // Step everything except lock acquisitions until three wait for the lock.
    std::vector<PendingOp> at_lock;
    ASSERT_TRUE(eventually([&] {
      auto p = steps.pending();
      at_lock.clear();
      for (const auto& op : p)
        if (op.kind == EventKind::lock_acquire) at_lock.push_back(op);
      if (at_lock.size() == 3) return true;
      for (const auto& op : p)
        if (op.kind != EventKind::lock_acquire && !(op.pid == mainp && op.kind != EventKind::process_start)) {
          steps.step_pid(op.pid);
          break;
        }
      return false;
    })) << "round " << round;
    // Choose a different waiter each round, never simply the oldest.
    int chosen = at_lock[(round + 1) % 3].pid;
    size_t before = acquirers().size();
    ASSERT_TRUE(steps.step_pid(chosen));
    ASSERT_TRUE(eventually([&] { return acquirers().size() == before + 1; }));
    EXPECT_EQ(acquirers().back(), chosen) << "round " << round;
    // Let the chosen one print and release.
    for (int k = 0; k < 2; ++k) {
      ASSERT_TRUE(eventually([&] { return steps.step_pid(chosen); })) << "round " << round;
    }
  }
  steps.run_free();
  ASSERT_TRUE(sup.wait(10s));
}
