// Python mode that students can trust (issue 15): the tracer never changes
// what a program does or prints, and what it records is complete. Each
// program (tests/python/programs/) runs once with plain /usr/bin/python3 and
// once under mpviz, under fork and spawn; its output must be the same.
#include <gtest/gtest.h>

#include <csignal>
#include <cstdlib>
#include <dirent.h>
#include <fstream>
#include <map>
#include <regex>
#include <sstream>
#include <sys/wait.h>
#include <unistd.h>

#include "engine/control/supervisor.hpp"
#include "leak_check.hpp"
#include "mpviz_runner.hpp"

using namespace mpviz;
using namespace mpviz::test;
using namespace std::chrono_literals;

namespace {

std::string program(const std::string& name) {
  return std::string(MPVIZ_TESTS_DIR) + "/python/programs/" + name;
}

// Children of this process right now (zombies included).
std::vector<int> own_children() {
  std::vector<int> kids;
  if (DIR* d = opendir("/proc")) {
    while (dirent* e = readdir(d)) {
      int pid = std::atoi(e->d_name);
      if (pid <= 0) continue;
      std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
      std::string line;
      std::getline(stat, line);
      auto close = line.rfind(')');
      if (close == std::string::npos) continue;
      std::istringstream rest(line.substr(close + 2));
      char state = 0;
      int ppid = 0;
      rest >> state >> ppid;
      if (ppid == getpid()) kids.push_back(pid);
    }
    closedir(d);
  }
  return kids;
}

// The program run by plain /usr/bin/python3. An earlier in-process
// Supervisor made this test process a child subreaper, so the program's
// orphans (CPython's resource tracker outlives a spawn program's main by a
// moment) are adopted here: wait for them and reap them.
CommandResult plain(const std::string& path) {
  auto r = run_command({"/usr/bin/python3", path}, 60);
  eventually([] {
    while (waitpid(-1, nullptr, WNOHANG) > 0) {
    }
    return own_children().empty();
  }, 10s);
  return r;
}

// Object addresses differ between two runs of one program.
std::string masked(const std::string& s) { return std::regex_replace(s, std::regex("0x[0-9a-f]+"), "0x…"); }

// mpviz's own lines on stderr (a failed run says so) are not the program's.
std::string program_stderr(const std::string& s) {
  std::istringstream in(s);
  std::string out, line;
  while (std::getline(in, line))
    if (line.rfind("mpviz: ", 0) != 0) out += line + "\n";
  return out;
}

struct Traced {
  CommandResult cmd;  // stdout: the program's own output (--quiet)
  Recording rec;
  std::string jsonl;
};

class PythonTrust : public LeakCheckedTest, public ::testing::WithParamInterface<std::string> {
 protected:
  // `mpviz run PROGRAM --quiet --jsonl FILE`: the program's stdout is
  // mpviz's stdout, the recording goes to a file.
  Traced traced(const std::string& path, std::vector<std::string> extra = {}) {
    Traced t;
    const std::string file = ::testing::TempDir() + "/trust_" + std::to_string(getpid()) + ".jsonl";
    std::vector<std::string> args = {"run", path, "--quiet", "--jsonl", file};
    if (!GetParam().empty()) args.insert(args.end(), {"--method", GetParam()});
    args.insert(args.end(), extra.begin(), extra.end());
    t.cmd = run_mpviz(args, 90);
    EXPECT_FALSE(t.cmd.timed_out) << "mpviz did not finish in time";
    std::ifstream in(file, std::ios::binary);
    t.jsonl.assign(std::istreambuf_iterator<char>(in), {});
    unlink(file.c_str());
    auto loaded = parse_jsonl(t.jsonl);
    EXPECT_TRUE(loaded.recording) << loaded.error << "\nstderr: " << t.cmd.err;
    if (loaded.recording) t.rec = std::move(*loaded.recording);
    checked(RunResult{t.cmd, t.rec});
    return t;
  }
  // Same stdout byte for byte, same stderr (addresses aside), same exit.
  void expect_same_output(const std::string& path, const Traced& t) {
    auto p = plain(path);
    EXPECT_EQ(t.cmd.out, p.out);
    EXPECT_EQ(masked(program_stderr(t.cmd.err)), masked(p.err));
  }
};

std::vector<const Event*> of_kind_by(const Recording& r, EventKind k, int pid) {
  std::vector<const Event*> v;
  for (const auto* e : of_kind(r, k))
    if (e->pid == pid) v.push_back(e);
  return v;
}

}  // namespace

// time.sleep and print as a Process target and as Pool tasks: they pickle.
TEST_P(PythonTrust, SleepAndPrintPickleAsTasksAndTargets) {
  const auto path = program("pickled_builtins.py");
  auto t = traced(path);
  ASSERT_EQ(t.cmd.exit_code, 0) << t.cmd.err;
  EXPECT_EQ(t.cmd.err.find("pickle"), std::string::npos) << t.cmd.err;
  expect_same_output(path, t);
  // Three prints as tasks (x, y, z) in the worker, and their task ends.
  EXPECT_EQ(of_kind(t.rec, EventKind::pool_task_end).size(), 4u);
  int mainp = main_pid(t.rec);
  std::string worker_out;
  for (const auto* p : of_kind(t.rec, EventKind::print))
    if (p->pid != mainp) worker_out += p->text;
  EXPECT_EQ(worker_out, "x\ny\nz\n");
}

// print events carry exactly what was written (end included, stderr marked),
// and `mpviz run --quiet` prints the program's stdout byte for byte.
TEST_P(PythonTrust, OutputIsExactAndPassedThrough) {
  const auto path = program("exact_output.py");
  auto t = traced(path);
  ASSERT_EQ(t.cmd.exit_code, 0) << t.cmd.err;
  expect_same_output(path, t);
  int mainp = main_pid(t.rec);
  std::vector<std::string> out, err;
  std::string child_out;
  for (const auto* p : of_kind(t.rec, EventKind::print)) {
    if (p->pid != mainp) {
      child_out += p->text;
      continue;
    }
    ((p->flags & kFlagStderr) ? err : out).push_back(p->text);
  }
  EXPECT_EQ(out, (std::vector<std::string>{"no newline;", "a ", "b, c\n", "end\n"}));
  EXPECT_EQ(err, (std::vector<std::string>{"to stderr\n", "partial stderr", " line\n"}));
  EXPECT_EQ(child_out, "child says-hi!\n");
  EXPECT_NE(t.jsonl.find(R"("text":"to stderr\n","stream":"stderr")"), std::string::npos);
}

// An item whose __str__ and __repr__ raise: the put still happens once (the
// run used to hang), the item is recorded by its type.
TEST_P(PythonTrust, TracerFailuresNeverChangeTheProgram) {
  const auto path = program("tracer_failures.py");
  auto t = traced(path);
  ASSERT_EQ(t.cmd.exit_code, 0) << t.cmd.err;
  expect_same_output(path, t);
  bool put = false;
  for (const auto* e : of_kind(t.rec, EventKind::queue_put)) put |= e->name == "q" && e->text == "<Shy>";
  EXPECT_TRUE(put);
}

// Every failed or timed-out wait ends with op_timeout naming the operation.
TEST_P(PythonTrust, FailedWaitsEndWithOpTimeout) {
  const auto path = program("failed_waits.py");
  auto t = traced(path);
  ASSERT_EQ(t.cmd.exit_code, 0) << t.cmd.err;
  expect_same_output(path, t);
  std::multiset<std::string> ops;
  for (const auto* e : of_kind(t.rec, EventKind::op_timeout)) ops.insert(e->name + "." + e->text);
  EXPECT_EQ(ops, (std::multiset<std::string>{"q.get", "q.get", "full.put", "lock.acquire", "lock.acquire",
                                             "sem.acquire", "a/b.recv"}));
  EXPECT_NE(t.jsonl.find(R"("kind":"op_timeout","obj":"a/b","op":"recv")"), std::string::npos);
  // No wait is left open: the last wait-ish event of main is never dangling.
  int mainp = main_pid(t.rec);
  int open_waits = 0;
  for (const auto& e : t.rec.events) {
    if (e.pid != mainp) continue;
    switch (e.kind) {
      case EventKind::queue_get_wait:
      case EventKind::queue_put_wait:
      case EventKind::lock_wait:
      case EventKind::sem_wait:
      case EventKind::pipe_recv_wait: ++open_waits; break;
      case EventKind::queue_get:
      case EventKind::queue_put:
      case EventKind::lock_acquire:
      case EventKind::sem_acquire:
      case EventKind::pipe_recv:
      case EventKind::op_timeout: --open_waits; break;
      default: break;
    }
  }
  EXPECT_EQ(open_waits, 0);
}

// JoinableQueue, map_async/starmap_async, Pool.join, terminate()/kill().
TEST_P(PythonTrust, JoinableQueueAsyncMapsPoolJoinAndTerminateAreTraced) {
  const auto path = program("more_ops.py");
  auto t = traced(path);
  ASSERT_EQ(t.cmd.exit_code, 0) << t.cmd.err;
  expect_same_output(path, t);
  int mainp = main_pid(t.rec);
  int puts = 0, done = 0, joined = 0;
  for (const auto* e : of_kind(t.rec, EventKind::queue_put)) puts += e->name == "tasks" && e->pid == mainp;
  for (const auto* e : of_kind(t.rec, EventKind::sem_release)) done += e->name == "tasks.unfinished";
  for (const auto* e : of_kind_by(t.rec, EventKind::sem_acquire, mainp)) joined += e->name == "tasks.unfinished";
  EXPECT_EQ(puts, 3);
  EXPECT_EQ(done, 3);
  EXPECT_EQ(joined, 1);
  // map_async: 3 tasks, starmap_async: 2, each begun and ended in a worker.
  EXPECT_EQ(of_kind(t.rec, EventKind::pool_submit).size(), 5u);
  EXPECT_EQ(of_kind(t.rec, EventKind::pool_task_end).size(), 5u);
  int pool_joins = 0;
  for (const auto* e : of_kind_by(t.rec, EventKind::join_end, mainp)) pool_joins += e->other == 0;
  EXPECT_EQ(pool_joins, 1);
  // terminate() then kill(): the moment each was called, before the end.
  auto terms = of_kind_by(t.rec, EventKind::terminate, mainp);
  ASSERT_EQ(terms.size(), 2u);
  EXPECT_EQ(terms[0]->value, SIGTERM);
  EXPECT_EQ(terms[1]->value, SIGKILL);
  for (const auto* term : terms) {
    const Event* end = end_of(t.rec, term->other);
    ASSERT_NE(end, nullptr);
    EXPECT_EQ(end->kind, EventKind::process_killed);
    EXPECT_LE(term->t_ns, end->t_ns);
  }
  EXPECT_NE(t.jsonl.find(R"("kind":"terminate","target":)"), std::string::npos);
}

// concurrent.futures.ProcessPoolExecutor runs (it used to exit 2) and is
// traced like a Pool.
TEST_P(PythonTrust, ProcessPoolExecutorIsTracedLikeAPool) {
  const auto path = program("executor.py");
  auto t = traced(path);
  ASSERT_EQ(t.cmd.exit_code, 0) << t.cmd.err;
  expect_same_output(path, t);
  int mainp = main_pid(t.rec);
  // submit x3, map x2, submit x1.
  EXPECT_EQ(of_kind_by(t.rec, EventKind::pool_submit, mainp).size(), 6u);
  auto begins = of_kind(t.rec, EventKind::pool_task_begin);
  EXPECT_EQ(begins.size(), 6u);
  EXPECT_EQ(of_kind(t.rec, EventKind::pool_task_end).size(), 6u);
  for (const auto* b : begins) {
    EXPECT_NE(b->pid, mainp);
    EXPECT_EQ(b->name, "cube");
  }
  // shutdown(wait=True), by `with` and by hand: waits for the workers.
  int waits = 0;
  for (const auto* e : of_kind_by(t.rec, EventKind::join_end, mainp)) waits += e->other == 0;
  EXPECT_GE(waits, 2);
  for (const auto* s : of_kind(t.rec, EventKind::process_start))
    if (s->pid != mainp && s->name != "ResourceTracker" && s->name != "ForkServer") {
      EXPECT_EQ((s->flags & kFlagSpawn) != 0, GetParam() == "spawn") << s->name;
    }
}

// The header's method is the one the program chose; an unbounded queue has
// no maxsize.
TEST_P(PythonTrust, HeaderMethodAndUnboundedMaxsizeAreTrue) {
  const auto path = program("own_method.py");
  auto t = traced(path);
  ASSERT_EQ(t.cmd.exit_code, 0) << t.cmd.err;
  expect_same_output(path, t);
  EXPECT_EQ(t.rec.header.method, "spawn");  // whatever --method said
  std::regex unbounded(R"re("obj":"unbounded"[^}]*"maxsize":null)re"), bounded(R"re("obj":"bounded"[^}]*"maxsize":3)re");
  EXPECT_TRUE(std::regex_search(t.jsonl, unbounded)) << t.jsonl;
  EXPECT_TRUE(std::regex_search(t.jsonl, bounded));
  EXPECT_EQ(t.jsonl.find("2147483647"), std::string::npos);
}

// Tracebacks under mpviz read as without it (no tracer frames).
TEST_P(PythonTrust, TracebacksHaveNoTracerFrames) {
  const auto path = program("traceback_child.py");
  auto t = traced(path);
  EXPECT_EQ(t.cmd.exit_code, 1);  // the program failed: so does the run
  expect_same_output(path, t);
  EXPECT_EQ(t.cmd.err.find("mpviz_trace"), std::string::npos) << t.cmd.err;
}

INSTANTIATE_TEST_SUITE_P(Methods, PythonTrust, ::testing::Values("fork", "spawn"));

// The ends of a sleep and of a pool task are visible at once, not when the
// process happens to emit again: here it then blocks in an untraced read.
class PythonLiveEnds : public LeakCheckedTest {};

TEST_F(PythonLiveEnds, SleepAndTaskEndsAreFlushed) {
  EventLog log;
  Supervisor sup(log);
  RunRequest req{program("live_ends.py"), rt::StartMethod::Fork, 1.0, ParamValues{}, mpviz_exe(), false};
  req.python_program = program("live_ends.py");
  req.python_path = std::string(MPVIZ_ASSETS_DIR) + "/python";
  req.method_given = false;
  ASSERT_FALSE(sup.start(req));
  auto seen = [&](EventKind k) {
    for (const auto& e : log.snapshot())
      if (e.kind == k) return true;
    return false;
  };
  EXPECT_TRUE(eventually([&] { return seen(EventKind::pool_task_end); }, 15s));
  EXPECT_TRUE(eventually([&] { return seen(EventKind::sleep_end); }, 15s));
  sup.stop();
  EXPECT_TRUE(sup.wait(std::chrono::milliseconds(10000)));
  EXPECT_TRUE(live_processes_in_group(sup.main_pid()).empty());
}
