// Python mode under the teacher's controls: step mode holds real CPython
// processes before each traced operation (fork and spawn), and the tracer
// covers Condition, Event, Pool.apply and Pool.imap.
#include <gtest/gtest.h>

#include <chrono>
#include <csignal>
#include <unistd.h>
#include <fstream>
#include <thread>

#include "engine/model/deadlock.hpp"
#include "engine/control/supervisor.hpp"
#include "engine/model/timeline_model.hpp"
#include "leak_check.hpp"
#include "mpviz_runner.hpp"

using namespace mpviz;
using namespace mpviz::test;
using namespace std::chrono_literals;

namespace {

int count(const EventLog& log, EventKind k, int32_t pid = 0) {
  int n = 0;
  for (const auto& e : log.snapshot()) n += e.kind == k && (pid == 0 || e.pid == pid);
  return n;
}

// Processes of the program, without CPython's own helpers (spawn starts a
// ResourceTracker for the Lock's semaphore).
int program_starts(const EventLog& log) {
  int n = 0;
  for (const auto& e : log.snapshot())
    n += e.kind == EventKind::process_start && e.name != "ResourceTracker" && e.name != "ForkServer";
  return n;
}

// Two workers take one lock; each sleeps 1000 s first, which step mode must
// turn into a step that takes no wall time.
const char* kTwoWorkers =
    "from multiprocessing import Process, Lock\n"
    "import time\n"
    "def work(lock, n):\n"
    "    time.sleep(1000)\n"
    "    with lock:\n"
    "        print('worker', n)\n"
    "if __name__ == '__main__':\n"
    "    lock = Lock()\n"
    "    ps = [Process(target=work, args=(lock, n)) for n in range(2)]\n"
    "    for p in ps:\n"
    "        p.start()\n"
    "    for p in ps:\n"
    "        p.join()\n";

class PythonStep : public LeakCheckedTest, public ::testing::WithParamInterface<std::string> {
 protected:
  void start(const std::string& text) {
    program = ::testing::TempDir() + "/step_" + GetParam() + ".py";
    std::ofstream(program) << text;
    RunRequest req{program, *rt::method_from_name(GetParam()), 1.0, ParamValues{}, mpviz_exe(), true};
    req.python_program = program;
    req.python_path = std::string(MPVIZ_ASSETS_DIR) + "/python";
    req.method_given = true;
    ASSERT_FALSE(sup.start(req));
  }
  void TearDown() override {
    sup.stop();
    EXPECT_TRUE(live_processes_in_group(sup.main_pid()).empty());
    LeakCheckedTest::TearDown();
  }
  // Waits until `pid` (0: anyone) is held before `kind`.
  std::optional<PendingOp> held_before(EventKind kind, int32_t pid = 0) {
    std::optional<PendingOp> found;
    eventually([&] {
      for (const auto& op : sup.steps().pending())
        if (op.kind == kind && (pid == 0 || op.pid == pid)) return (found = op).has_value();
      return false;
    }, 15s);
    return found;
  }
  std::string program;
  EventLog log;
  Supervisor sup{log};
};

}  // namespace

TEST_P(PythonStep, HeldPythonProcessesMoveOneOperationPerStep) {
  start(kTwoWorkers);
  auto& steps = sup.steps();
  // Main is held before starting its first child, and nothing happens.
  auto first = held_before(EventKind::process_start);
  ASSERT_TRUE(first);
  const int32_t mainp = first->pid;
  EXPECT_EQ(first->obj, "Process-1");
  std::this_thread::sleep_for(300ms);
  EXPECT_EQ(program_starts(log), 1) << "only main: the start is held";

  // One step: exactly one child starts, and it is held before its sleep.
  ASSERT_TRUE(steps.step_pid(mainp));
  auto sleep1 = held_before(EventKind::sleep_begin);
  ASSERT_TRUE(sleep1);
  const int32_t child = sleep1->pid;
  ASSERT_TRUE(held_before(EventKind::process_start, mainp)) << "main waits to start Process-2";
  EXPECT_TRUE(eventually([&] { return program_starts(log) == 2; }));
  std::this_thread::sleep_for(100ms);
  EXPECT_EQ(program_starts(log), 2) << "exactly one child per step";

  // Its 1000 s sleep is one step and takes no wall time (else the next
  // wait times out); then it is held before the lock, named in its slot.
  ASSERT_TRUE(steps.step_pid(child));
  auto at_lock = held_before(EventKind::lock_acquire, child);
  ASSERT_TRUE(at_lock) << "a held sleep must not take its 1000 s";
  EXPECT_EQ(at_lock->obj, "lock");
  EXPECT_TRUE(eventually([&] { return count(log, EventKind::sleep_end, child) == 1; }));
  EXPECT_EQ(count(log, EventKind::lock_acquire, child), 0) << "held before the acquire";

  // Step the acquire: the lock is taken, the print is the next held operation.
  ASSERT_TRUE(steps.step_pid(child));
  ASSERT_TRUE(held_before(EventKind::print, child));
  EXPECT_TRUE(eventually([&] { return count(log, EventKind::lock_acquire, child) == 1; }));
  EXPECT_EQ(count(log, EventKind::print, child), 0);

  // The second worker: started by a step, its sleep stepped too.
  ASSERT_TRUE(steps.step_pid(mainp));
  std::optional<PendingOp> sleep2;
  ASSERT_TRUE(eventually([&] {
    for (const auto& op : steps.pending())
      if (op.kind == EventKind::sleep_begin && op.pid != child) return (sleep2 = op).has_value();
    return false;
  }, 15s));
  ASSERT_TRUE(steps.step_pid(sleep2->pid));
  ASSERT_TRUE(held_before(EventKind::lock_acquire, sleep2->pid));

  // Run: everything goes, and the program finishes as without step mode.
  steps.run_free();
  ASSERT_TRUE(sup.wait(30s)) << "the run finishes once released";
  EXPECT_EQ(count(log, EventKind::print), 2);
  EXPECT_EQ(count(log, EventKind::lock_release), 2);
  for (int32_t pid : {mainp, child, sleep2->pid})
    EXPECT_EQ(count(log, EventKind::process_exit, pid), 1) << pid;
}

// The teacher's kill on a real CPython process: the lock holder, caught by a
// step right after its acquire, is SIGKILLed. CPython's Lock is not robust
// either: the other worker waits forever and main joins forever; mpviz says
// who died holding what, and Stop still cleans everything up.
TEST_P(PythonStep, KillingAPythonLockHolderIsReportedAndStopCleansUp) {
  start(kTwoWorkers);
  auto& steps = sup.steps();
  auto first = held_before(EventKind::process_start);
  ASSERT_TRUE(first);
  const int32_t mainp = first->pid;
  ASSERT_TRUE(steps.step_pid(mainp));
  auto sleep1 = held_before(EventKind::sleep_begin);
  ASSERT_TRUE(sleep1);
  const int32_t holder = sleep1->pid;
  ASSERT_TRUE(steps.step_pid(holder));                      // the sleep
  ASSERT_TRUE(held_before(EventKind::lock_acquire, holder));
  ASSERT_TRUE(steps.step_pid(holder));                      // the acquire
  ASSERT_TRUE(held_before(EventKind::print, holder));       // holding the lock
  ASSERT_TRUE(eventually([&] { return count(log, EventKind::lock_acquire, holder) == 1; }));

  EXPECT_FALSE(sup.kill_process(getpid(), SIGKILL)) << "must refuse a pid outside the run";
  ASSERT_TRUE(sup.kill_process(holder, SIGKILL));
  steps.run_free();
  ASSERT_TRUE(eventually([&] { return count(log, EventKind::process_killed, holder) == 1; }));
  for (const auto& e : log.snapshot())
    if (e.kind == EventKind::process_killed && e.pid == holder) {
      EXPECT_EQ(e.text, "user");
      EXPECT_EQ(e.value, SIGKILL);
    }
  // The second worker starts and blocks on the lock nobody will release.
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));
  EXPECT_FALSE(sup.wait(std::chrono::milliseconds(10))) << "the run cannot finish by itself";
  auto evs = log.snapshot();
  sort_by_time(evs);
  auto report = find_stuck(build_timeline(evs), sup.rel_now());
  ASSERT_EQ(report.dead_holders.size(), 1u) << report.summary_en();
  EXPECT_EQ(report.dead_holders[0].pid, holder);
  EXPECT_EQ(report.dead_holders[0].lock, "lock");
  // Stop ends it, and the leak check (TearDown) finds nothing left.
  sup.stop();
  EXPECT_TRUE(sup.wait(std::chrono::milliseconds(5000)));
}

INSTANTIATE_TEST_SUITE_P(Methods, PythonStep, ::testing::Values("fork", "spawn"));

class PythonTracer : public LeakCheckedTest {};

TEST_F(PythonTracer, ConditionEventApplyAndImapAreTraced) {
  std::string path = ::testing::TempDir() + "/cond_event.py";
  // The child says it is about to wait (`waiting`, set while it holds the
  // condition's lock, so main's notify comes after its wait began): no sleep
  // that a loaded machine could outrun.
  std::ofstream(path) << "from multiprocessing import Process, Condition, Event, Pool\n"
                         "import time\n"
                         "def waiter(cond, ready, waiting):\n"
                         "    with cond:\n"
                         "        waiting.set()\n"
                         "        cond.wait()\n"
                         "    ready.wait()\n"
                         "def square(x):\n"
                         "    return x * x\n"
                         "if __name__ == '__main__':\n"
                         "    cond = Condition()\n"
                         "    ready = Event()\n"
                         "    waiting = Event()\n"
                         "    p = Process(target=waiter, args=(cond, ready, waiting))\n"
                         "    p.start()\n"
                         "    # Not a fixed sleep: a notify before the child waits is lost.\n"
                         "    # The child holds cond from waiting.set() until cond.wait()\n"
                         "    # releases it, so main's notify comes after the wait.\n"
                         "    waiting.wait()\n"
                         "    with cond:\n"
                         "        cond.notify_all()\n"
                         "    ready.set()\n"
                         "    p.join()\n"
                         "    with Pool(2) as pool:\n"
                         "        print(pool.apply(square, (3,)))\n"
                         "        print(list(pool.imap(square, range(3))))\n";
  auto r = checked(run_recorded({"run", path, "--method", "spawn"}, 60));
  ASSERT_EQ(r.cmd.exit_code, 0) << r.cmd.err;
  int mainp = main_pid(r.rec);
  auto has = [&](EventKind k, const std::string& obj, bool by_main, int64_t value = -1) {
    for (const auto* e : of_kind(r.rec, k))
      if (e->name == obj && (e->pid == mainp) == by_main && (value < 0 || e->value == value))
        return true;
    return false;
  };
  // The condition: named as in the program, its lock and its waiting room.
  EXPECT_TRUE(has(EventKind::lock_acquire, "cond", false));
  EXPECT_TRUE(has(EventKind::sem_wait, "cond.wait", false));
  EXPECT_TRUE(has(EventKind::sem_release, "cond.wait", true));
  EXPECT_TRUE(has(EventKind::sem_acquire, "cond.wait", false));
  // The event: the child waits on it, main sets it (value 1 = set).
  EXPECT_TRUE(has(EventKind::sem_wait, "ready", false));
  EXPECT_TRUE(has(EventKind::sem_release, "ready", true, 1));
  EXPECT_TRUE(has(EventKind::sem_acquire, "ready", false, 1));
  // apply: one task; imap: three; each runs in a pool worker.
  EXPECT_EQ(of_kind(r.rec, EventKind::pool_submit).size(), 4u);
  EXPECT_EQ(of_kind(r.rec, EventKind::pool_task_begin).size(), 4u);
  EXPECT_EQ(of_kind(r.rec, EventKind::pool_task_end).size(), 4u);
  for (const auto* b : of_kind(r.rec, EventKind::pool_task_begin)) EXPECT_NE(b->pid, mainp);
  bool nine = false, list = false;
  for (const auto* p : of_kind(r.rec, EventKind::print)) {
    nine |= p->text == "9\n";
    list |= p->text == "[0, 1, 4]\n";
  }
  EXPECT_TRUE(nine && list);
}

// CPython's third start method: `--method forkserver` overrides the program's
// default; the forkserver helper is a process of the run, the Pool's workers
// are its children, and every task is traced.
TEST_F(PythonTracer, ForkserverIsAStartMethodForPrograms) {
  auto r = checked(run_recorded(
      {"run", std::string(MPVIZ_ASSETS_DIR) + "/listings/pool_map.py", "--method", "forkserver", "--speed", "20"},
      60));
  ASSERT_EQ(r.cmd.exit_code, 0) << r.cmd.err;
  EXPECT_EQ(r.rec.header.method, "forkserver");
  int forkserver = 0, workers = 0;
  for (const auto* s : of_kind(r.rec, EventKind::process_start)) {
    if (s->name == "ForkServer") ++forkserver;
    if (s->name.rfind("ForkServerPoolWorker", 0) == 0) {
      ++workers;
      EXPECT_TRUE(s->flags & kFlagForkserver) << s->name;
    }
  }
  EXPECT_EQ(forkserver, 1);
  EXPECT_GE(workers, 1);
  const auto submits = of_kind(r.rec, EventKind::pool_submit).size();
  EXPECT_GT(submits, 0u);
  EXPECT_EQ(of_kind(r.rec, EventKind::pool_task_end).size(), submits);
}
