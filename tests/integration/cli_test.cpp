// The command line contract: bad input exits 2 with a one-line message,
// --duration stops a run cleanly, list --json names every parameter.
#include <dirent.h>
#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>
#include <nlohmann/json.hpp>
#include <signal.h>

#include <atomic>
#include <fstream>
#include <thread>

#include "leak_check.hpp"

using namespace mpviz;
using namespace mpviz::test;

namespace {
class Cli : public LeakCheckedTest {};

void expect_bad_input(const std::vector<std::string>& args, const std::string& part) {
  auto r = run_mpviz(args, 20);
  EXPECT_EQ(r.exit_code, 2) << testing::PrintToString(args) << "\n" << r.err;
  EXPECT_NE(r.err.find(part), std::string::npos) << "stderr was: " << r.err;
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << "one line: " << r.err;
  EXPECT_TRUE(r.out.empty());
}
}  // namespace

TEST_F(Cli, BadInputExitsTwoWithAMessage) {
  expect_bad_input({"run", "nope"}, "unknown scenario 'nope'");
  expect_bad_input({"run", "lock", "--speed", "-3"}, "--speed");
  expect_bad_input({"run", "lock", "--speed", "fast"}, "speed");
  expect_bad_input({"run", "basic", "--set", "processes=abc"}, "whole number");
  expect_bad_input({"run", "basic", "--set", "processes=100000"}, "between");
  expect_bad_input({"run", "basic", "--set", "nope=1"}, "unknown parameter 'nope'");
  expect_bad_input({"run", "lock", "--method", "forkserver"}, "method");
  expect_bad_input({"run", "lock", "--duration", "0"}, "--duration");
  expect_bad_input({"run", "/nonexistent/prog.py"}, "no such Python program");
  expect_bad_input({"frobnicate"}, "frobnicate");
  expect_bad_input({"run"}, "target");
}

TEST_F(Cli, DurationStopsARunAndTheRecordingIsComplete) {
  // 200 loops at 0.1 s would take 20 s; stop after 0.5 s.
  auto r = checked(run_recorded({"run", "lock", "--set", "first_loop=200", "--duration", "0.5"}, 20));
  EXPECT_EQ(r.cmd.exit_code, 0) << r.cmd.err;
  ASSERT_FALSE(r.rec.events.empty());
  EXPECT_EQ(r.rec.events.back().kind, EventKind::run_end);
  EXPECT_EQ(r.rec.events.back().text, "stopped");
  EXPECT_LT(r.rec.events.back().t_ns, 3'000'000'000LL);
  auto starts = of_kind(r.rec, EventKind::process_start);
  EXPECT_EQ(starts.size(), 6u);
  for (const auto* s : starts) {
    int ends = 0;
    for (const auto& e : r.rec.events)
      if (e.pid == s->pid && (e.kind == EventKind::process_killed || e.kind == EventKind::process_exit)) {
        ++ends;
        EXPECT_EQ(e.kind, EventKind::process_killed) << s->name;
        EXPECT_EQ(e.text, "stop") << s->name;
      }
    EXPECT_EQ(ends, 1) << s->name;
  }
}

TEST_F(Cli, TextTimelineShowsPrintsAndStarts) {
  auto r = run_mpviz({"run", "basic", "--speed", "0"}, 20);
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_NE(r.out.find("MainProcess"), std::string::npos);
  EXPECT_NE(r.out.find("print  Process: 7"), std::string::npos);
  EXPECT_NE(r.out.find("run finished"), std::string::npos);
  EXPECT_EQ(r.out.find("\033["), std::string::npos) << "no colour when not a terminal";
}

TEST_F(Cli, JsonlToAFileMatchesStdout) {
  std::string path = ::testing::TempDir() + "/basic.jsonl";
  auto r = run_mpviz({"run", "basic", "--speed", "0", "--quiet", "--jsonl", path}, 20);
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_TRUE(r.out.empty());
  auto loaded = load_jsonl_file(path);
  ASSERT_TRUE(loaded.recording) << loaded.error;
  EXPECT_EQ(loaded.recording->header.scenario, "basic");
  EXPECT_EQ(prints(*loaded.recording).size(), 10u);
}

TEST_F(Cli, ListJsonNamesScenariosAndParameters) {
  auto r = run_mpviz({"list", "--json"}, 20);
  ASSERT_EQ(r.exit_code, 0);
  auto j = nlohmann::json::parse(r.out);
  std::map<std::string, nlohmann::json> by_name;
  for (auto& s : j) by_name[s["name"]] = s;
  for (const char* n : {"basic", "subclass", "daemon", "lock", "semaphore", "fork-vs-spawn",
                        "threads-vs-processes", "pipe", "pool-apply-async", "pool-map"}) ASSERT_TRUE(by_name.count(n)) << n;
  auto param = [&](const char* s, const char* k) {
    for (auto& p : by_name[s]["params"])
      if (p["key"] == k) return p["default"];
    return nlohmann::json();
  };
  EXPECT_EQ(param("basic", "processes"), 10);
  EXPECT_EQ(param("subclass", "processes"), 3);
  EXPECT_EQ(param("subclass", "first_loop"), 2);
  EXPECT_EQ(param("daemon", "join_timeout"), 1.0);
  EXPECT_EQ(param("lock", "processes"), 5);
  EXPECT_EQ(param("lock", "first_loop"), 10);
  EXPECT_EQ(param("lock", "sleep"), 0.1);
  EXPECT_FALSE(by_name["lock"]["title_zh"].get<std::string>().empty());
}

// A run whose main process dies is a failed run: exit code 1 and
// run_end "failed", with the death recorded.
TEST_F(Cli, KilledMainProcessMakesTheRunFail) {
  std::string path = ::testing::TempDir() + "/failed.jsonl";
  std::atomic<bool> done{false};
  std::thread killer([&] {
    // Find this run's main process by its unusual parameter and kill it.
    while (!done) {
      DIR* d = opendir("/proc");
      while (dirent* e = d ? readdir(d) : nullptr) {
        std::ifstream f(std::string("/proc/") + e->d_name + "/cmdline");
        std::string cmd((std::istreambuf_iterator<char>(f)), {});
        int pid = std::atoi(e->d_name);
        // Forked children carry main's command line too: main leads the group.
        if (cmd.find("__main") != std::string::npos && cmd.find("\"777\"") != std::string::npos &&
            pid > 0 && getpgid(pid) == pid) {
          kill(pid, SIGKILL);
          done = true;
        }
      }
      if (d) closedir(d);
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
  });
  auto r = run_mpviz({"run", "lock", "--set", "first_loop=777", "--set", "processes=2",
                      "--speed", "100", "--quiet", "--jsonl", path},
                     30);
  done = true;
  killer.join();
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_NE(r.err.find("failed"), std::string::npos) << r.err;
  auto loaded = load_jsonl_file(path);
  ASSERT_TRUE(loaded.recording) << loaded.error;
  RunResult rr;
  rr.rec = *loaded.recording;
  checked(rr);
  EXPECT_EQ(rr.rec.events.back().text, "failed");
  int mainp = main_pid(rr.rec);
  bool main_killed = false;
  for (const auto* k : of_kind(rr.rec, EventKind::process_killed))
    main_killed |= k->pid == mainp && k->value == SIGKILL;
  EXPECT_TRUE(main_killed);
}

TEST_F(Cli, StepModeHoldsUntilToldAndQuitStops) {
  // Held from the start; "quit" stops it before any child prints.
  auto r = run_mpviz({"run", "lock", "--step", "--jsonl", "-", "--quiet"}, 20, "pause\nquit\n");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  auto loaded = parse_jsonl(r.out);
  ASSERT_TRUE(loaded.recording) << loaded.error;
  RunResult rr;
  rr.rec = *loaded.recording;
  checked(rr);
  EXPECT_TRUE(prints(rr.rec).empty());
  EXPECT_EQ(rr.rec.events.back().text, "stopped");
}

TEST_F(Cli, StepModeRunsToTheEndWhenInputEnds) {
  auto r = checked(run_recorded({"run", "basic", "--step", "--speed", "0"}, 20));
  EXPECT_EQ(r.cmd.exit_code, 0) << r.cmd.err;
  EXPECT_EQ(prints(r.rec).size(), 10u);
  EXPECT_EQ(r.rec.events.back().text, "finished");
}

TEST_F(Cli, StepModeRejectsUnknownCommandsWithoutDying) {
  auto r = run_mpviz({"run", "basic", "--step", "--speed", "0", "--quiet"}, 20, "jump\nstep abc\nrun\n");
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_NE(r.err.find("unknown command 'jump'"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("step wants a pid"), std::string::npos) << r.err;
}

// Even if mpviz itself is SIGKILLed mid-run, its janitor takes every scenario
// process with it within a second.
TEST_F(Cli, KillingTheEngineLeavesNoScenarioProcess) {
  pid_t mpviz = fork();
  ASSERT_GE(mpviz, 0);
  if (mpviz == 0) {
    int devnull = open("/dev/null", O_RDWR);
    dup2(devnull, 0);
    dup2(devnull, 1);
    execl(mpviz_exe().c_str(), "mpviz", "run", "lock", "--set", "first_loop=555", "--set",
          "processes=3", "--quiet", static_cast<char*>(nullptr));
    _exit(127);
  }
  struct KillOnExit {
    pid_t pid;
    ~KillOnExit() {
      if (pid > 0 && kill(pid, SIGKILL) == 0) waitpid(pid, nullptr, 0);
    }
  } guard{mpviz};
  // Find the run's main process (its configuration carries our marker).
  int mainp = 0;
  for (int i = 0; i < 500 && !mainp; ++i) {
    if (DIR* d = opendir("/proc")) {
      while (dirent* e = readdir(d)) {
        std::ifstream f(std::string("/proc/") + e->d_name + "/cmdline");
        std::string cmd((std::istreambuf_iterator<char>(f)), {});
        int pid = std::atoi(e->d_name);
        if (cmd.find("__main") != std::string::npos && cmd.find("\"555\"") != std::string::npos &&
            pid > 0 && getpgid(pid) == pid)
          mainp = pid;
      }
      closedir(d);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  ASSERT_GT(mainp, 0);
  for (int i = 0; i < 500 && processes_in_group(mainp).size() < 4; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  ASSERT_EQ(processes_in_group(mainp).size(), 4u) << "main + 3 children should be running";
  // The janitor must be there, watching this group.
  int janitors = 0;
  if (DIR* d = opendir("/proc")) {
    while (dirent* e = readdir(d)) {
      std::ifstream f(std::string("/proc/") + e->d_name + "/cmdline");
      std::string cmd((std::istreambuf_iterator<char>(f)), {});
      if (cmd.find("__janitor") != std::string::npos &&
          cmd.find(std::to_string(mainp)) != std::string::npos)
        ++janitors;
    }
    closedir(d);
  }
  EXPECT_EQ(janitors, 1);
  kill(mpviz, SIGKILL);
  int st = 0;
  waitpid(mpviz, &st, 0);
  guard.pid = -1;
  auto t0 = std::chrono::steady_clock::now();
  while (!live_processes_in_group(mainp).empty() &&
         std::chrono::steady_clock::now() - t0 < std::chrono::seconds(1))
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  EXPECT_TRUE(live_processes_in_group(mainp).empty())
      << live_processes_in_group(mainp).size() << " scenario processes outlived the engine by 1 s";
}
