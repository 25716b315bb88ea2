// For every scenario's real recording: the replay model's state at t equals
// the state built live, event by event, up to t; and save -> load -> save of
// the recording is byte-identical; and it exports.
#include <nlohmann/json.hpp>

#include <algorithm>
#include <fstream>
#include <set>

#include "engine/recording/chrome_export.hpp"
#include "engine/model/replay_model.hpp"
#include "leak_check.hpp"
#include "scenarios/registry.hpp"

using namespace mpviz;
using namespace mpviz::test;

class ReplayScenario : public LeakCheckedTest, public ::testing::WithParamInterface<std::string> {};

TEST_P(ReplayScenario, ReplayEqualsLiveAndRoundTrips) {
  auto r = checked(run_recorded({"run", GetParam(), "--speed", "100", "--duration", "1"}, 30));
  ASSERT_EQ(r.cmd.exit_code, 0) << r.cmd.err;
  const auto& evs = r.rec.events;
  ASSERT_GT(evs.size(), 3u);
  ReplayModel replay(evs);
  SyncState live;
  size_t next = 0;
  for (int k = 0; k <= 20; ++k) {
    int64_t t = evs.back().t_ns * k / 20;
    while (next < evs.size() && evs[next].t_ns <= t) live.apply(evs[next++]);
    EXPECT_EQ(replay.state_at(t), live) << GetParam() << " at t=" << t;
  }
  std::string text = to_jsonl(r.rec);
  auto loaded = parse_jsonl(text);
  ASSERT_TRUE(loaded.recording) << loaded.error;
  EXPECT_EQ(to_jsonl(*loaded.recording), text);
  auto chrome = nlohmann::json::parse(to_chrome_json(r.rec));
  EXPECT_GT(chrome["traceEvents"].size(), evs.size() / 4);
}

INSTANTIATE_TEST_SUITE_P(All, ReplayScenario, ::testing::ValuesIn([] {
                           std::vector<std::string> names;
                           for (const auto& s : scenarios::all()) names.push_back(s.info.name);
                           return names;
                         }()),
                         [](const auto& info) {
                           std::string n = info.param;
                           for (auto& c : n)
                             if (c == '-') c = '_';
                           return n;
                         });

// The export a teacher opens in Perfetto: tracks, counters and flows of the
// semaphore and pipe scenarios, through the real command line.
class ExportCli : public LeakCheckedTest {};

TEST_F(ExportCli, SemaphoreAndPipeExportsHaveTracksCountersAndFlows) {
  for (std::string scenario : {"semaphore", "pipe"}) {
    std::string rec = ::testing::TempDir() + "/" + scenario + ".jsonl";
    std::string out = ::testing::TempDir() + "/" + scenario + ".json";
    auto r = run_mpviz({"run", scenario, "--speed", "50", "--duration", "1", "--quiet", "--jsonl", rec}, 30);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    auto loaded = load_jsonl_file(rec);
    ASSERT_TRUE(loaded.recording);
    RunResult rr;
    rr.rec = *loaded.recording;
    checked(rr);
    auto x = run_mpviz({"export", rec, "--chrome", out}, 30);
    ASSERT_EQ(x.exit_code, 0) << x.err;
    std::ifstream f(out);
    auto j = nlohmann::json::parse(f);
    std::set<std::string> tracks, counters;
    int flows_s = 0, flows_f = 0;
    for (const auto& e : j["traceEvents"]) {
      if (e["ph"] == "M" && e["name"] == "process_name") tracks.insert(e["args"]["name"]);
      if (e["ph"] == "C") counters.insert(e["name"]);
      flows_s += e["ph"] == "s";
      flows_f += e["ph"] == "f";
    }
    EXPECT_EQ(flows_s, flows_f);
    if (scenario == "semaphore") {
      EXPECT_EQ(tracks.size(), 3u);
      EXPECT_TRUE(counters.count("semaphore empty"));
      EXPECT_TRUE(counters.count("semaphore full"));
      EXPECT_TRUE(counters.count("queue buffer size"));
      EXPECT_GT(flows_s, 3) << "queue put->get and semaphore release->acquire hand-offs";
    } else {
      EXPECT_EQ(tracks.size(), 3u);
      EXPECT_EQ(flows_s, 2) << "two pipe messages";
    }
  }
}

TEST_F(ExportCli, BrokenRecordingsExitTwoWithTheLine) {
  std::string bad = ::testing::TempDir() + "/bad.jsonl";
  {
    std::ofstream f(bad);
    f << R"({"format":"mpviz-trace","version":2})" << "\n";
  }
  auto r = run_mpviz({"export", bad, "--chrome", ::testing::TempDir() + "/x.json"}, 10);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("line 1: recording version 2 is not supported"), std::string::npos) << r.err;
  auto missing = run_mpviz({"export", "/nonexistent.jsonl", "--chrome", "/tmp/x.json"}, 10);
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_NE(missing.err.find("cannot open"), std::string::npos);
}

// Every kind of broken recording: a one-line message naming the line, exit 2,
// from the command line too; a file cut mid-line still exports, with a warning.
TEST_F(ExportCli, EveryBrokenFileKindExitsTwo) {
  std::string header =
      R"({"format":"mpviz-trace","version":1,"scenario":"lock","method":"fork","params":{},"started_unix_ms":1})";
  struct Bad {
    const char* name;
    std::string text;
    const char* part;
  };
  std::vector<Bad> cases = {
      {"empty", "", "empty"},
      {"garbage", std::string("\x01\x02\xff\xfegarbage\n", 12), "line 1"},
      {"not_json", "hello\n", "line 1: not valid JSON"},
      {"version2", R"({"format":"mpviz-trace","version":2})" "\n", "version 2 is not supported"},
      {"wrong_type", header + "\n" + R"({"t_ns":"x","pid":1,"kind":"print","text":"a"})" + "\n",
       "line 2: field 't_ns' must be an integer"},
      {"unknown_kind", header + "\n" + R"({"t_ns":1,"pid":1,"kind":"warp"})" + "\n",
       "line 2: unknown event kind 'warp'"},
  };
  for (const auto& c : cases) {
    std::string in = ::testing::TempDir() + "/bad_" + c.name + ".jsonl";
    std::ofstream(in, std::ios::binary) << c.text;
    auto r = run_mpviz({"export", in, "--chrome", ::testing::TempDir() + "/out.json"}, 10);
    EXPECT_EQ(r.exit_code, 2) << c.name;
    EXPECT_NE(r.err.find(c.part), std::string::npos) << c.name << ": " << r.err;
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << c.name << ": " << r.err;
  }
  std::string cut = ::testing::TempDir() + "/cut.jsonl";
  std::ofstream(cut) << header << "\n" << R"({"t_ns":1,"pid":1,"kind":"print","text":"a"})" << "\n"
                     << R"({"t_ns":2,"pid":1,"ki)";
  auto r = run_mpviz({"export", cut, "--chrome", ::testing::TempDir() + "/cut.json"}, 10);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("warning"), std::string::npos);
  EXPECT_NE(r.err.find("cut off mid-line"), std::string::npos) << r.err;
}
