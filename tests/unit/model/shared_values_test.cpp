// Shared state in the model and the recording: value_read / value_write
// keep a value over time, the lost updates (with who was overwritten), the
// value per object in SyncState, and survive a recording round trip.
#include <gtest/gtest.h>

#include "engine/model/sync_state.hpp"
#include "engine/model/timeline_model.hpp"
#include "engine/recording/recording.hpp"

using namespace mpviz;

namespace {
Event rd(int32_t pid, int64_t t, int64_t v, const char* obj = "counter") {
  Event e = make_event(EventKind::value_read, pid, t);
  e.name = obj;
  e.value = v;
  return e;
}
Event wr(int32_t pid, int64_t t, int64_t v, bool lost = false, const char* obj = "counter") {
  Event e = make_event(EventKind::value_write, pid, t);
  e.name = obj;
  e.value = v;
  if (lost) e.flags |= kFlagLost;
  return e;
}
// Two processes both read 0 and write 1: the second write loses the first.
std::vector<Event> race() {
  return {rd(1, 10, 0), rd(2, 11, 0), wr(1, 20, 1), wr(2, 21, 1, true), rd(1, 30, 1), wr(1, 31, 2)};
}
}  // namespace

TEST(SharedValues, TimelineKeepsTheValueOverTimeAndTheLostUpdates) {
  TimelineModel m = build_timeline(race());
  ASSERT_EQ(m.values.count("counter"), 1u);
  const auto& pts = m.values.at("counter");
  ASSERT_EQ(pts.size(), 3u);
  EXPECT_EQ(pts[0].t, 20);
  EXPECT_EQ(pts[2].value, 2);
  ASSERT_EQ(m.lost_updates.size(), 1u);
  const LostUpdate& u = m.lost_updates[0];
  EXPECT_EQ(u.pid, 2);
  EXPECT_EQ(u.t, 21);
  EXPECT_EQ(u.value, "1");
  EXPECT_EQ(u.over_pid, 1);
  EXPECT_EQ(u.over_value, "1");
}

TEST(SharedValues, SyncStateKnowsTheCurrentValueAndWriter) {
  SyncState st;
  auto evs = race();
  for (size_t i = 0; i < 4; ++i) st.apply(evs[i]);
  ASSERT_EQ(st.values.count("counter"), 1u);
  EXPECT_EQ(st.values["counter"].value, "1");
  EXPECT_EQ(st.values["counter"].last_writer, 2);
  EXPECT_EQ(st.values["counter"].writes, 2);
  EXPECT_EQ(st.values["counter"].lost, 1);
  st.apply(evs[4]);
  st.apply(evs[5]);
  EXPECT_EQ(st.values["counter"].value, "2");
  EXPECT_EQ(st.values["counter"].last_writer, 1);
}

TEST(SharedValues, ArrayElementsAreSeparateValues) {
  Event a = wr(1, 5, 7, false, "arr");
  a.flags |= kFlagIndexed;
  a.other = 2;
  Event b = wr(1, 6, 3, false, "arr");
  b.flags |= kFlagIndexed;
  b.other = 0;
  TimelineModel m = build_timeline({a, b});
  EXPECT_EQ(m.values.count("arr[2]"), 1u);
  EXPECT_EQ(m.values.count("arr[0]"), 1u);
  EXPECT_EQ(value_key(a), "arr[2]");
}

TEST(SharedValues, RecordingRoundTripKeepsEveryField) {
  Recording r;
  r.header.scenario = "race";
  r.header.method = "fork";
  r.events = race();
  Event real = wr(3, 40, 0, false, "ratio");
  real.flags |= kFlagValueReal;
  real.seconds = 0.5;
  Event text = rd(3, 41, 0, "letter");
  text.flags |= kFlagValueText;
  text.text = "b'x'";
  Event idx = wr(3, 42, 9, true, "arr");
  idx.flags |= kFlagIndexed;
  idx.other = 1;
  r.events.push_back(real);
  r.events.push_back(text);
  r.events.push_back(idx);
  const std::string jsonl = to_jsonl(r);
  EXPECT_NE(jsonl.find(R"("kind":"value_write","obj":"counter","value":1,"lost":true)"), std::string::npos) << jsonl;
  EXPECT_NE(jsonl.find(R"("kind":"value_read","obj":"counter","value":0})"), std::string::npos) << jsonl;
  EXPECT_NE(jsonl.find(R"("obj":"ratio","value":0.5,"lost":false)"), std::string::npos) << jsonl;
  EXPECT_NE(jsonl.find(R"("obj":"letter","value":"b'x'")"), std::string::npos) << jsonl;
  EXPECT_NE(jsonl.find(R"("obj":"arr","value":9,"index":1,"lost":true)"), std::string::npos) << jsonl;
  for (auto parse : {parse_jsonl, detail::parse_jsonl_reference}) {
    LoadResult back = parse(jsonl);
    ASSERT_TRUE(back.recording) << back.error;
    EXPECT_EQ(back.recording->events, r.events);
  }
  // The writer of the fast path and of the reference tree agree.
  for (const Event& e : r.events) EXPECT_EQ(event_to_json_line(e), detail::event_to_json_line_reference(e));
}

TEST(SharedValues, ABadValueFieldIsAClearError) {
  const std::string bad =
      R"({"format":"mpviz-trace","version":1,"scenario":"x","method":"fork","params":{},"started_unix_ms":0})"
      "\n"
      R"({"t_ns":1,"pid":1,"kind":"value_write","obj":"c","value":[1],"lost":false})"
      "\n";
  LoadResult r = parse_jsonl(bad);
  EXPECT_FALSE(r.recording);
  EXPECT_NE(r.error.find("value"), std::string::npos) << r.error;
}
