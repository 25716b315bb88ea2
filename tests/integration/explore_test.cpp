// `mpviz explore` and `mpviz run --schedule` on real processes: different
// orders are found and grouped by outcome, the deadlock is found by the
// systematic search and its schedule replays to it, and a long explore with
// deadlocked runs leaves nothing behind.
#include <dirent.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>

#include "leak_check.hpp"

using namespace mpviz;
using namespace mpviz::test;
using nlohmann::json;

namespace {

class Explore : public LeakCheckedTest {
 protected:
  void SetUp() override {
    LeakCheckedTest::SetUp();
    dir_ = ::testing::TempDir() + "/explore-" + std::to_string(getpid()) + "-" +
           ::testing::UnitTest::GetInstance()->current_test_info()->name();
    std::filesystem::remove_all(dir_);
  }
  void TearDown() override {
    LeakCheckedTest::TearDown();
    std::filesystem::remove_all(dir_);
  }

  // Runs explore with --json (and --save) and parses its answer; every saved
  // recording is registered for the leak check.
  json explore(std::vector<std::string> args, double timeout_s = 240) {
    args.insert(args.begin(), "explore");
    args.insert(args.end(), {"--json", "--save", dir_});
    auto r = run_mpviz(args, timeout_s);
    last_pid_ = r.pid;
    EXPECT_FALSE(r.timed_out);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    auto j = json::parse(r.out, nullptr, false);
    EXPECT_TRUE(j.is_object()) << "stdout: " << r.out << "\nstderr: " << r.err;
    if (!j.is_object()) return json::object();
    for (const auto& o : j["outcomes"])
      if (o["recording"].is_string()) {
        std::ifstream f(o["recording"].get<std::string>());
        std::string text((std::istreambuf_iterator<char>(f)), {});
        auto loaded = parse_jsonl(text);
        EXPECT_TRUE(loaded.recording) << loaded.error;
        if (loaded.recording) checked(RunResult{{}, *loaded.recording});
      }
    return j;
  }

  std::string dir_;
  int last_pid_ = 0;
};

std::set<std::vector<std::string>> outputs(const json& j) {
  std::set<std::vector<std::string>> out;
  for (const auto& o : j["outcomes"]) out.insert(o["output"].get<std::vector<std::string>>());
  return out;
}

// Processes anywhere whose run was started by supervisor `pid` (their
// configuration names it): what an explore must not leave.
std::vector<int> processes_of_supervisor(int pid) {
  std::vector<int> found;
  std::string mark = "\"supervisor_pid\":" + std::to_string(pid);
  if (DIR* d = opendir("/proc")) {
    while (dirent* e = readdir(d)) {
      int p = std::atoi(e->d_name);
      if (p <= 0) continue;
      std::ifstream f("/proc/" + std::to_string(p) + "/cmdline");
      std::string cmd((std::istreambuf_iterator<char>(f)), {});
      if (cmd.find(mark) != std::string::npos) found.push_back(p);
    }
    closedir(d);
  }
  return found;
}

}  // namespace

TEST_F(Explore, BasicShowsMoreThanOnePrintOrder) {
  auto j = explore({"basic", "--set", "processes=4", "--runs", "12", "--perturb", "random"});
  EXPECT_EQ(j["runs"], 12);
  auto outs = outputs(j);
  EXPECT_GE(outs.size(), 2u) << j.dump(1);
  for (const auto& o : j["outcomes"]) {
    EXPECT_EQ(o["status"], "finished");
    auto lines = o["output"].get<std::vector<std::string>>();
    std::sort(lines.begin(), lines.end());
    EXPECT_EQ(lines, (std::vector<std::string>{"Process: 0", "Process: 1", "Process: 2", "Process: 3"}))
        << "every run prints each line once, in some order";
    EXPECT_TRUE(o["schedule"].is_string());
  }
}

TEST_F(Explore, PctRunsAreGroupedAndCounted) {
  auto j = explore({"basic", "--set", "processes=3", "--runs", "10", "--perturb", "pct", "--jobs", "2"});
  int total = 0;
  for (const auto& o : j["outcomes"]) total += o["count"].get<int>();
  EXPECT_EQ(total, 10);
  EXPECT_EQ(j["strategy"], "pct");
  EXPECT_GE(outputs(j).size(), 2u) << j.dump(1);
}

TEST_F(Explore, SystematicFindsTheDeadlockAndItsScheduleReplaysToIt) {
  auto j = explore({"deadlock", "--systematic", "--max-schedules", "400"});
  EXPECT_EQ(j["complete"], true) << "the two-lock program is small enough to enumerate";
  std::string schedule;
  bool finished = false;
  for (const auto& o : j["outcomes"]) {
    if (o["status"] == "deadlock" && schedule.empty()) schedule = o["schedule"].get<std::string>();
    if (o["status"] == "finished") finished = true;
  }
  EXPECT_TRUE(finished) << "some orders finish";
  ASSERT_FALSE(schedule.empty()) << j.dump(1);
  for (int i = 0; i < 3; ++i) {  // on demand, every time
    auto r = checked(run_recorded({"run", "deadlock", "--schedule", schedule}, 60));
    EXPECT_EQ(r.cmd.exit_code, 0) << r.cmd.err;
    EXPECT_NE(r.cmd.err.find(": deadlock"), std::string::npos) << r.cmd.err;
    EXPECT_EQ(r.cmd.err.find("left the schedule"), std::string::npos) << r.cmd.err;
    // Both children's last lock event is a wait that never got its lock.
    int stuck = 0;
    for (const auto* s : of_kind(r.rec, EventKind::process_start)) {
      const Event* last = nullptr;
      for (const auto& e : r.rec.events)
        if (e.pid == s->pid && (e.kind == EventKind::lock_wait || e.kind == EventKind::lock_acquire))
          last = &e;
      if (last && last->kind == EventKind::lock_wait) ++stuck;
    }
    EXPECT_EQ(stuck, 2);
  }
}

TEST_F(Explore, APythonProgramWorksTheSameWay) {
  std::string prog = std::string(MPVIZ_TEST_PROGRAMS) + "/two_printers.py";
  auto j = explore({prog, "--runs", "8", "--perturb", "random"});
  EXPECT_GE(outputs(j).size(), 2u) << j.dump(1);
  for (const auto& o : j["outcomes"]) {
    EXPECT_EQ(o["status"], "finished");
    auto lines = o["output"].get<std::vector<std::string>>();
    std::sort(lines.begin(), lines.end());
    EXPECT_EQ(lines, (std::vector<std::string>{"A 0", "A 1", "B 0", "B 1"}));
  }
}

TEST_F(Explore, TwoHundredRunsWithDeadlocksLeaveNothingBehind) {
  auto j = explore({"deadlock", "--runs", "200", "--jobs", "2", "--perturb", "random"}, 600);
  EXPECT_EQ(j["runs"], 200);
  int deadlocked = 0;
  for (const auto& o : j["outcomes"])
    if (o["status"] == "deadlock") deadlocked += o["count"].get<int>();
  EXPECT_GT(deadlocked, 0) << j.dump(1);
  EXPECT_TRUE(processes_of_supervisor(last_pid_).empty());
}

TEST_F(Explore, BadInputExitsTwo) {
  for (const auto& args : std::vector<std::vector<std::string>>{
           {"explore", "deadlock", "--runs", "0"},
           {"explore", "deadlock", "--perturb", "sometimes"},
           {"explore", "nope"},
           {"explore", "deadlock", "--jobs", "99"},
           {"run", "deadlock", "--schedule", "/nonexistent/schedule.json"}}) {
    auto r = run_mpviz(args, 30);
    EXPECT_EQ(r.exit_code, 2) << testing::PrintToString(args) << r.err;
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
  }
}

TEST_F(Explore, RaceLosesUpdatesWithoutTheLockAndNeverWithIt) {
  const std::vector<std::string> small = {"--set", "processes=2", "--set", "increments=3"};
  auto args = small;
  args.insert(args.begin(), "race");
  args.insert(args.end(), {"--runs", "20", "--perturb", "pct"});
  auto j = explore(args);
  std::set<std::string> finals;
  for (const auto& o : j["outcomes"]) {
    ASSERT_TRUE(o["finals"].contains("counter")) << o.dump();
    std::string final = o["finals"]["counter"];
    finals.insert(final);
    // The saved recording of this outcome marks its lost updates: as many
    // as the count is short of N x K, at least one when it is short.
    std::ifstream f(o["recording"].get<std::string>());
    auto rec = parse_jsonl(std::string((std::istreambuf_iterator<char>(f)), {}));
    ASSERT_TRUE(rec.recording) << rec.error;
    int lost = 0;
    for (const auto* e : of_kind(*rec.recording, EventKind::value_write))
      if (e->flags & kFlagLost) ++lost;
    if (std::stoi(final) < 6) EXPECT_GE(lost, 1) << "final " << final << " with no lost update marked";
    else EXPECT_EQ(lost, 0);
  }
  EXPECT_GE(finals.size(), 2u) << "pct finds more than one final value in 20 runs: " << j.dump(1);

  args = small;
  args.insert(args.begin(), "race");
  args.insert(args.end(), {"--set", "use_lock=true", "--runs", "10", "--perturb", "pct"});
  auto locked = explore(args);
  ASSERT_EQ(locked["outcomes"].size(), 1u) << locked.dump(1);
  EXPECT_EQ(locked["outcomes"][0]["finals"]["counter"], "6");
}
