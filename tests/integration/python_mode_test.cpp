// Python mode: the tutorial's own programs (our listings in assets/listings)
// run unmodified under /usr/bin/python3 with CPython's real multiprocessing,
// traced into the same events. Their recordings must have the same shape as
// the C++ scenarios': process tree, object names, print lines (up to pids).
#include <algorithm>
#include <csignal>
#include <map>
#include <regex>
#include <fstream>
#include <set>

#include "leak_check.hpp"

using namespace mpviz;
using namespace mpviz::test;

namespace {

std::string listing(const std::string& file) { return std::string(MPVIZ_ASSETS_DIR) + "/listings/" + file; }

struct Shape {
  std::multiset<std::string> process_kinds;  // names without their numbers
  std::set<std::string> objects;
  std::multiset<std::string> prints;         // pids masked
  std::map<int, int> depth_count;            // processes per tree depth
};

Shape shape_of(const Recording& r, bool with_prints) {
  Shape s;
  std::map<int, int> parent;
  for (const auto* p : of_kind(r, EventKind::process_start)) {
    // CPython's own helper processes have no C++ counterpart.
    if (p->name == "ResourceTracker" || p->name == "ForkServer") continue;
    s.process_kinds.insert(std::regex_replace(p->name, std::regex("-[0-9:]+$"), ""));
    parent[p->pid] = p->other;
  }
  for (const auto& [pid, ppid] : parent) {
    int d = 0;
    for (int q = pid; parent.count(q); q = parent[q]) ++d;
    ++s.depth_count[d];
  }
  for (const auto& e : r.events) {
    switch (e.kind) {
      case EventKind::lock_acquire:
      case EventKind::sem_acquire:
      case EventKind::queue_put:
      case EventKind::pipe_send: s.objects.insert(e.name); break;
      case EventKind::print:
        if (with_prints)
          s.prints.insert(std::regex_replace(std::string(print_line(e.text)), std::regex("[0-9]{2,}"), "N"));
        break;
      default: break;
    }
  }
  return s;
}

struct Case {
  std::string scenario, file;
  std::vector<std::string> extra;  // e.g. --duration for the endless one
  bool compare_prints;
};

class PythonMode : public LeakCheckedTest,
                   public ::testing::WithParamInterface<std::tuple<Case, std::string>> {};

}  // namespace

TEST_P(PythonMode, SameShapeAsTheCppScenario) {
  const auto& [c, method] = GetParam();
  std::vector<std::string> common = {"--method", method, "--speed", "20"};
  common.insert(common.end(), c.extra.begin(), c.extra.end());
  std::vector<std::string> py_args = {"run", listing(c.file)};
  py_args.insert(py_args.end(), common.begin(), common.end());
  std::vector<std::string> cpp_args = {"run", c.scenario};
  cpp_args.insert(cpp_args.end(), common.begin(), common.end());
  auto py = checked(run_recorded(py_args, 60));
  auto cpp = checked(run_recorded(cpp_args, 60));
  ASSERT_EQ(py.cmd.exit_code, 0) << py.cmd.err;
  // Stopped or not, nothing makes CPython's resource tracker clean up after
  // the program (it would warn about leaked semaphores, on the console and
  // on mpviz's stderr).
  for (const auto* p : of_kind(py.rec, EventKind::print))
    EXPECT_EQ(p->text.find("resource_tracker"), std::string::npos) << p->text;
  EXPECT_EQ(py.cmd.err.find("resource_tracker"), std::string::npos) << py.cmd.err;
  if (c.scenario == "lock" && method == "spawn") {
    // A real CPython erratum, shown as it is: main never joins, so at its
    // exit multiprocessing's finalizers unlink the Lock's named semaphore
    // before the spawned children unpickle it: the children fail (a child
    // that happens to open it before main's exit runs; it is a race).
    std::set<int> workers;
    for (const auto* st : of_kind(py.rec, EventKind::process_start))
      if (st->name.rfind("MyProcess", 0) == 0) workers.insert(st->pid);
    // Every worker ends: most by failing; on a loaded machine one may still
    // be starting when main's exit ends the run, and the stop kills it.
    int failed = 0, ended = 0;
    std::string ends;
    for (const auto& e : py.rec.events) {
      if (!workers.count(e.pid)) continue;
      if (e.kind != EventKind::process_exit && e.kind != EventKind::process_killed) continue;
      ++ended;
      failed += e.kind == EventKind::process_exit && e.value == 1;
      ends += std::string(kind_name(e.kind)) + " " + std::to_string(e.value) + " " + e.text + "; ";
    }
    EXPECT_EQ(ended, 5) << ends;
    EXPECT_GE(failed, 3) << ends;
    bool fnf = false;
    for (const auto* p : of_kind(py.rec, EventKind::print))
      fnf |= p->text.find("FileNotFoundError") != std::string::npos;
    EXPECT_TRUE(fnf);
    return;
  }
  ASSERT_EQ(cpp.cmd.exit_code, 0) << cpp.cmd.err;
  auto a = shape_of(py.rec, c.compare_prints), b = shape_of(cpp.rec, c.compare_prints);
  EXPECT_EQ(a.process_kinds, b.process_kinds);
  EXPECT_EQ(a.depth_count, b.depth_count);
  EXPECT_EQ(a.objects, b.objects);
  EXPECT_EQ(a.prints, b.prints);
  // Every process has one end; the start method is what was asked for.
  for (const auto* s : of_kind(py.rec, EventKind::process_start)) {
    int ends = 0;
    for (const auto& e : py.rec.events)
      ends += e.pid == s->pid && (e.kind == EventKind::process_exit || e.kind == EventKind::process_killed);
    EXPECT_EQ(ends, 1) << s->name;
    if (s->name != "MainProcess") {
      EXPECT_EQ((s->flags & kFlagSpawn) != 0, method == "spawn") << s->name;
    }
  }
  // Python mode carries source lines.
  bool lines = false;
  for (const auto* p : of_kind(py.rec, EventKind::print)) lines |= p->line > 0;
  if (!of_kind(py.rec, EventKind::print).empty()) {
    EXPECT_TRUE(lines);
  }
}

INSTANTIATE_TEST_SUITE_P(
    Listings, PythonMode,
    ::testing::Combine(
        ::testing::Values(Case{"basic", "basic.py", {}, true}, Case{"lock", "lock.py", {}, true},
                          Case{"pipe", "pipe.py", {}, true},
                          Case{"fork-vs-spawn", "fork_vs_spawn.py", {}, true},
                          Case{"pool-apply-async", "pool_apply_async.py", {}, true},
                          Case{"pool-map", "pool_map.py", {}, true},
                          Case{"daemon", "daemon.py", {}, false},
                          Case{"semaphore", "semaphore.py", {"--duration", "4"}, false},
                          Case{"race", "race.py", {}, false}),
        ::testing::Values("fork", "spawn")),
    [](const auto& info) {
      std::string n = std::get<0>(info.param).scenario + "_" + std::get<1>(info.param);
      std::replace(n.begin(), n.end(), '-', '_');
      return n;
    });

class PythonModeErrors : public LeakCheckedTest {};

TEST_F(PythonModeErrors, BadProgramsGetAClearMessage) {
  std::string dir = ::testing::TempDir();
  auto write = [&](const std::string& name, const std::string& text) {
    std::ofstream(dir + "/" + name) << text;
    return dir + "/" + name;
  };
  auto not_python = write("notpy.py", "this is not { python\n");
  auto no_mp = write("nomp.py", "print('hello')\n");
  for (auto [path, part] : std::vector<std::pair<std::string, std::string>>{
           {not_python, "is not a Python program (line 1)"},
           {no_mp, "never imports multiprocessing"},
           {dir + "/missing.py", "no such Python program"}}) {
    auto r = run_mpviz({"run", path}, 20);
    EXPECT_EQ(r.exit_code, 2) << path;
    EXPECT_NE(r.err.find(part), std::string::npos) << r.err;
  }
}

TEST_F(PythonModeErrors, ATracebackShowsAndTheChildIsMarkedFailed) {
  std::string path = ::testing::TempDir() + "/boom.py";
  std::ofstream(path) << "from multiprocessing import Process\n"
                         "def boom():\n"
                         "    raise ValueError('student bug')\n"
                         "if __name__ == '__main__':\n"
                         "    p = Process(target=boom)\n"
                         "    p.start()\n"
                         "    p.join()\n"
                         "    print('exitcode', p.exitcode)\n";
  auto r = checked(run_recorded({"run", path, "--method", "spawn"}, 30));
  ASSERT_EQ(r.cmd.exit_code, 0) << r.cmd.err;
  bool traceback = false;
  for (const auto* p : of_kind(r.rec, EventKind::print))
    traceback |= p->text.find("ValueError: student bug") != std::string::npos;
  EXPECT_TRUE(traceback) << "the traceback reaches the console";
  int mainp = main_pid(r.rec);
  bool child_failed = false;
  for (const auto* e : of_kind(r.rec, EventKind::process_exit))
    child_failed |= e->pid != mainp && e->value == 1;
  EXPECT_TRUE(child_failed);
  bool printed = false;
  for (const auto* p : of_kind(r.rec, EventKind::print)) printed |= p->text == "exitcode 1\n";
  EXPECT_TRUE(printed);
}

// A process that ignores SIGTERM does not hold up a stop: the ladder goes on
// to SIGKILL, and the recording says so.
TEST_F(PythonModeErrors, StopEscalatesToSigkillForAProcessIgnoringSigterm) {
  std::string path = ::testing::TempDir() + "/stubborn.py";
  std::ofstream(path) << "import signal, time\n"
                         "from multiprocessing import Process\n"
                         "def stubborn():\n"
                         "    signal.signal(signal.SIGTERM, signal.SIG_IGN)\n"
                         "    print('ignoring SIGTERM')\n"
                         "    time.sleep(60)\n"
                         "if __name__ == '__main__':\n"
                         "    p = Process(target=stubborn)\n"
                         "    p.start()\n"
                         "    p.join()\n";
  auto r = checked(run_recorded({"run", path, "--duration", "1"}, 30));
  ASSERT_EQ(r.cmd.exit_code, 0) << r.cmd.err;
  EXPECT_EQ(r.rec.events.back().text, "stopped");
  int mainp = main_pid(r.rec);
  bool sigkilled = false;
  for (const auto* k : of_kind(r.rec, EventKind::process_killed))
    if (k->pid != mainp) sigkilled |= k->value == SIGKILL && k->text == "stop";
  EXPECT_TRUE(sigkilled) << "the child ignoring SIGTERM must be SIGKILLed by the stop";
}
