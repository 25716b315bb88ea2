// The command line contract: bad input exits 2 with a one-line message,
// --duration stops a run cleanly, list --json names every parameter.
#include <nlohmann/json.hpp>

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
