// The .jsonl recording (CONTRACT): field names per kind, exact round trip,
// and clear errors for broken files.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "engine/recording/recording.hpp"

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

// The loader's fast line parser and the hand-written writer must agree with
// the nlohmann-only reference on every line: same events, same errors, same
// bytes. Lines chosen to sit on the fast path's edges (it must either get
// them exactly right or leave them to nlohmann).
TEST(Recording, FastPathsAgreeWithReference) {
  const std::string header =
      R"({"format":"mpviz-trace","version":1,"scenario":"lock","method":"fork","params":{},"started_unix_ms":1})";
  const std::vector<std::string> lines = {
      R"({"t_ns":1,"pid":2,"kind":"print","text":"plain"})",
      R"(  { "t_ns" : 1 , "pid":2,"kind":"print","text":"spaces"}  )",
      "{\"t_ns\":1,\"pid\":2,\"kind\":\"print\",\"text\":\"tab\"}\r",
      R"({"t_ns":1,"pid":2,"kind":"print","text":"esc \" \\ \/ \b \f \n \r \t end"})",
      R"({"t_ns":1,"pid":2,"kind":"print","text":"unicode \u00e9 \ud83d\ude00"})",
      R"({"t_ns":1,"pid":2,"kind":"print","text":"多进程 ✓ 😀"})",
      "{\"t_ns\":1,\"pid\":2,\"kind\":\"print\",\"text\":\"bad \xc3\x28 utf8\"}",
      "{\"t_ns\":1,\"pid\":2,\"kind\":\"print\",\"text\":\"surrogate \xed\xa0\x80\"}",
      "{\"t_ns\":1,\"pid\":2,\"kind\":\"print\",\"text\":\"ctl \x01\"}",
      R"({"t_ns":1,"pid":2,"kind":"print","text":"dup","text":"last"})",
      R"({"t_ns":1,"pid":2,"kind":"print","text":"extra","x":{"a":[1,2]},"y":null,"z":1.5e3})",
      R"({"t_ns":-0,"pid":2,"kind":"print","text":"neg zero"})",
      R"({"t_ns":01,"pid":2,"kind":"print","text":"leading zero"})",
      R"({"t_ns":1.0,"pid":2,"kind":"print","text":"float t"})",
      R"({"t_ns":12345678901234567890,"pid":2,"kind":"print","text":"big"})",
      R"({"t_ns":123456789012345678,"pid":4294967297,"kind":"print","text":"pid wraps"})",
      R"({"t_ns":1,"pid":2,"kind":"sleep_begin","seconds":0.1})",
      R"({"t_ns":1,"pid":2,"kind":"sleep_begin","seconds":3})",
      R"({"t_ns":1,"pid":2,"kind":"sleep_begin","seconds":1e400})",
      R"({"t_ns":1,"pid":2,"kind":"sleep_begin","seconds":1e-320})",
      R"({"t_ns":1,"pid":2,"kind":"sleep_begin","seconds":-0.0})",
      R"({"t_ns":1,"pid":2,"kind":"sleep_begin","seconds":2.5E-3})",
      R"({"t_ns":1,"pid":2,"kind":"sleep_begin","seconds":1.})",
      R"({"t_ns":1,"pid":2,"kind":"join_begin","target":3,"timeout_s":null})",
      R"({"t_ns":1,"pid":2,"kind":"join_end","target":3,"timeout_s":0.25,"timed_out":true})",
      R"({"t_ns":1,"pid":2,"kind":"join_end","target":3,"timeout_s":"x","timed_out":true})",
      R"({"t_ns":1,"pid":2,"kind":"process_start","ppid":1,"name":"P","daemon":true,"method":"spawn"})",
      R"({"t_ns":1,"pid":2,"kind":"process_start","ppid":1,"name":"P","daemon":true,"method":"vfork"})",
      R"({"t_ns":1,"pid":2,"kind":"pool_task_end","task":1,"func":"f","result":"4"})",
      R"({"t_ns":1,"pid":2,"kind":"pool_task_end","task":1,"func":"f","result":null})",
      R"({"t_ns":1,"pid":2,"kind":"pool_task_end","task":1,"func":"f"})",
      R"({"t_ns":1,"pid":2,"kind":"queue_put","obj":"q","item":"i","size":1,"maxsize":0,"line":7})",
      R"({"t_ns":1,"pid":2,"kind":"queue_put","obj":"q","item":"i","size":1,"maxsize":null})",
      R"({"t_ns":1,"pid":2,"kind":"queue_put","obj":"q","item":"i","size":1})",
      R"({"t_ns":1,"pid":2,"kind":"print","text":"a ","stream":"stderr"})",
      R"({"t_ns":1,"pid":2,"kind":"print","text":"a ","stream":"stdin"})",
      R"({"t_ns":1,"pid":2,"kind":"op_timeout","obj":"q","op":"get"})",
      R"({"t_ns":1,"pid":2,"kind":"terminate","target":3,"signal":15})",
      R"({"t_ns":1,"pid":2,"kind":"terminate","target":3})",
      R"({"t_ns":1,"pid":2,"kind":"lock_acquire","obj":"lock","line":7.5})",
      R"({"t_ns":1,"pid":2,"kind":"pipe_send","obj":"p","end":1,"item":"x"})",
      R"({"t_ns":1,"pid":2,"kind":"run_end","status":"finished","dropped_frames":0})",
      R"({"t_ns":1,"pid":2,"kind":"teleport"})",
      R"({"t_ns":1,"pid":2,"kind":"print","text":"trailing"},)",
      R"({"t_ns":1,"pid":2,"kind":"print","text":"unterminated)",
      R"([1,2])",
      R"({})",
  };
  for (const auto& l : lines) {
    for (const std::string& text : {header + "\n" + l + "\n", header + "\n" + l}) {
      auto fast = parse_jsonl(text);
      auto ref = detail::parse_jsonl_reference(text);
      EXPECT_EQ(fast.error, ref.error) << l;
      EXPECT_EQ(fast.warning, ref.warning) << l;
      ASSERT_EQ(fast.recording.has_value(), ref.recording.has_value()) << l;
      if (!fast.recording) continue;
      EXPECT_EQ(fast.recording->events, ref.recording->events) << l;
      EXPECT_EQ(to_jsonl(*fast.recording), to_jsonl(*ref.recording)) << l;
      for (const auto& e : fast.recording->events)
        EXPECT_EQ(event_to_json_line(e), detail::event_to_json_line_reference(e)) << l;
    }
  }
  // The writer on every kind of the sample, with awkward strings and numbers.
  Recording r = sample_recording();
  r.events[0].text = std::string("ctl \x01\x1f \x7f \" \\ \n", 13);
  r.events[1].seconds = 1e-7;
  r.events[2].seconds = 123456789.125;
  for (const auto& e : r.events)
    EXPECT_EQ(event_to_json_line(e), detail::event_to_json_line_reference(e));
}

// Python mode's additions: print's stream, op_timeout's op, terminate, and
// an unbounded queue's maxsize (null, never a sentinel number).
TEST(Recording, StreamOpTerminateAndUnboundedMaxsize) {
  Event p = make_event(EventKind::print, 7, 1);
  p.text = "a ";
  p.flags = kFlagStderr;
  EXPECT_EQ(event_to_json_line(p), R"({"t_ns":1,"pid":7,"kind":"print","text":"a ","stream":"stderr"})");
  Event o = make_event(EventKind::op_timeout, 7, 1);
  o.name = "q";
  o.text = "get";
  EXPECT_EQ(event_to_json_line(o), R"({"t_ns":1,"pid":7,"kind":"op_timeout","obj":"q","op":"get"})");
  Event t = make_event(EventKind::terminate, 7, 1);
  t.other = 8;
  t.value = 15;
  EXPECT_EQ(event_to_json_line(t), R"({"t_ns":1,"pid":7,"kind":"terminate","target":8,"signal":15})");
  Event q = make_event(EventKind::queue_put, 7, 1);
  q.name = "q";
  q.text = "1";
  q.value = 1;
  EXPECT_EQ(event_to_json_line(q), R"({"t_ns":1,"pid":7,"kind":"queue_put","obj":"q","item":"1","size":1,"maxsize":null})");
  for (const Event& e : {p, o, t, q}) {
    auto back = parse_jsonl(R"({"format":"mpviz-trace","version":1,"scenario":"s","method":"fork","params":{},"started_unix_ms":0})"
                            "\n" + event_to_json_line(e) + "\n");
    ASSERT_TRUE(back.recording) << back.error;
    EXPECT_EQ(back.recording->events.at(0), e);
  }
}
