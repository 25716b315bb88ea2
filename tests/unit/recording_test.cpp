// The .jsonl recording (CONTRACT): field names per kind, exact round trip,
// and clear errors for broken files.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "engine/recording.hpp"

using namespace mpviz;

namespace {

Recording sample_recording() {
  Recording r;
  r.header.scenario = "lock";
  r.header.method = "spawn";
  r.header.params = {{"first_loop", int64_t{10}}, {"sleep", 0.1}, {"verbose", true}};
  r.header.started_unix_ms = 1700000000123;
  int64_t t = 0;
  for (int k = 1; k <= kEventKindCount; ++k) {
    Event e = make_event(static_cast<EventKind>(k), 4242, t += 1000);
    e.other = 4243;
    e.value = k;
    e.limit = 10;
    e.seconds = 0.5;
    e.name = "lock";
    e.text = "Pid: 4242 LoopCount: 3 多进程";
    e.flags = kFlagDaemon | kFlagHasTimeout | kFlagTimedOut;
    e.line = k;
    if (e.kind == EventKind::join_begin) e.flags = 0;  // timeout_s: null
    r.events.push_back(e);
  }
  return r;
}

}  // namespace

TEST(Recording, ContractFieldNames) {
  auto r = sample_recording();
  auto text = to_jsonl(r);
  std::vector<nlohmann::json> lines;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t nl = text.find('\n', pos);
    lines.push_back(nlohmann::json::parse(text.substr(pos, nl - pos)));
    pos = nl + 1;
  }
  ASSERT_EQ(lines.size(), 1u + kEventKindCount);
  EXPECT_EQ(lines[0]["format"], "mpviz-trace");
  EXPECT_EQ(lines[0]["version"], 1);
  EXPECT_EQ(lines[0]["method"], "spawn");
  EXPECT_EQ(lines[0]["params"]["first_loop"], 10);
  auto find = [&](const char* kind) {
    for (auto& l : lines)
      if (l.value("kind", "") == kind) return l;
    return nlohmann::json();
  };
  auto start = find("process_start");
  EXPECT_EQ(start["ppid"], 4243);
  EXPECT_EQ(start["daemon"], true);
  EXPECT_EQ(start["method"], "fork");
  EXPECT_EQ(find("process_exit")["code"], 2);
  EXPECT_TRUE(find("process_killed").contains("signal"));
  EXPECT_TRUE(find("process_killed").contains("by"));
  EXPECT_TRUE(find("join_begin")["timeout_s"].is_null());
  EXPECT_EQ(find("join_end")["timeout_s"], 0.5);
  EXPECT_EQ(find("join_end")["timed_out"], true);
  EXPECT_EQ(find("sleep_begin")["seconds"], 0.5);
  EXPECT_EQ(find("print")["text"], "Pid: 4242 LoopCount: 3 多进程");
  EXPECT_EQ(find("lock_acquire")["obj"], "lock");
  EXPECT_TRUE(find("sem_release").contains("value"));
  auto qp = find("queue_put");
  for (const char* f : {"obj", "item", "size", "maxsize"}) EXPECT_TRUE(qp.contains(f)) << f;
  auto ps = find("pipe_send");
  for (const char* f : {"obj", "end", "item"}) EXPECT_TRUE(ps.contains(f)) << f;
  auto pt = find("pool_task_begin");
  for (const char* f : {"task", "func"}) EXPECT_TRUE(pt.contains(f)) << f;
  auto re = find("run_end");
  EXPECT_TRUE(re.contains("status"));
  EXPECT_TRUE(re.contains("dropped_frames"));
  for (size_t i = 1; i < lines.size(); ++i) {
    auto it = lines[i].begin();
    EXPECT_EQ(it.key(), "dropped_frames" == it.key() ? it.key() : it.key());
    EXPECT_TRUE(lines[i].contains("t_ns") && lines[i].contains("pid") && lines[i].contains("kind"));
  }
}

TEST(Recording, SaveLoadSaveIsByteIdentical) {
  auto text = to_jsonl(sample_recording());
  auto loaded = parse_jsonl(text);
  ASSERT_TRUE(loaded.recording) << loaded.error;
  EXPECT_TRUE(loaded.warning.empty());
  EXPECT_EQ(to_jsonl(*loaded.recording), text);
}

TEST(Recording, LineCutOffMidwayLoadsWithWarning) {
  auto text = to_jsonl(sample_recording());
  std::string cut = text.substr(0, text.size() - 20);
  auto loaded = parse_jsonl(cut);
  ASSERT_TRUE(loaded.recording) << loaded.error;
  EXPECT_EQ(loaded.recording->events.size(), static_cast<size_t>(kEventKindCount - 1));
  EXPECT_NE(loaded.warning.find("cut off"), std::string::npos);
}

struct BrokenCase {
  const char* what;
  std::string text;
  const char* message_part;
};

TEST(Recording, BrokenFilesGiveLineAndReason) {
  std::string header =
      R"({"format":"mpviz-trace","version":1,"scenario":"lock","method":"fork","params":{},"started_unix_ms":1})";
  std::vector<BrokenCase> cases = {
      {"empty", "", "empty"},
      {"not json", "hello world\n", "line 1: not valid JSON"},
      {"garbage bytes", std::string("\xff\xfe\x00\x01garbage", 11) + "\n", "line 1"},
      {"not a recording", "{\"a\":1}\n", "not an mpviz recording"},
      // Found by the fuzzer: a header whose "format" is not a string used to throw.
      {"format not a string", "{\"format\":false}\n", "not an mpviz recording"},
      {"format an object", "{\"format\":{}}\n", "not an mpviz recording"},
      {"version 2",
       R"({"format":"mpviz-trace","version":2,"scenario":"x","method":"fork","params":{},"started_unix_ms":1})"
       "\n",
       "version 2 is not supported"},
      {"unknown kind", header + "\n" + R"({"t_ns":1,"pid":2,"kind":"teleport"})" + "\n",
       "line 2: unknown event kind 'teleport'"},
      {"wrong type", header + "\n" + R"({"t_ns":"soon","pid":2,"kind":"print","text":"x"})" + "\n",
       "line 2: field 't_ns' must be an integer"},
      {"missing field", header + "\n" + R"({"t_ns":1,"pid":2,"kind":"print"})" + "\n",
       "line 2: field 'text' must be a string"},
      {"out of order",
       header + "\n" + R"({"t_ns":5,"pid":2,"kind":"print","text":"a"})" + "\n" +
           R"({"t_ns":1,"pid":2,"kind":"print","text":"b"})" + "\n",
       "line 3: events are not ordered"},
  };
  for (const auto& c : cases) {
    auto r = parse_jsonl(c.text);
    EXPECT_FALSE(r.recording) << c.what;
    EXPECT_NE(r.error.find(c.message_part), std::string::npos)
        << c.what << ": got '" << r.error << "'";
  }
}
