#include <gtest/gtest.h>

#include <thread>

#include "engine/model/event_log.hpp"
#include "engine/recording/recording.hpp"

using namespace mpviz;

namespace {
Event ev(EventKind k, int32_t pid, int64_t t, uint8_t flags = 0) {
  Event e = make_event(k, pid, t);
  e.flags = flags;
  return e;
}
}  // namespace

TEST(EventLog, CopySinceReturnsOnlyNewEvents) {
  EventLog log;
  log.append(ev(EventKind::print, 1, 10));
  std::vector<Event> out;
  size_t seen = log.copy_since(0, out);
  EXPECT_EQ(seen, 1u);
  log.append(ev(EventKind::print, 1, 20));
  log.append(ev(EventKind::print, 2, 30));
  out.clear();
  seen = log.copy_since(seen, out);
  EXPECT_EQ(seen, 3u);
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(out[0].t_ns, 20);
}

TEST(EventLog, KeepsOneEndPerProcess) {
  EventLog log;
  log.append(ev(EventKind::process_start, 7, 0));
  Event own = ev(EventKind::process_exit, 7, 100);
  own.value = 0;
  log.append(own);
  log.append(ev(EventKind::process_exit, 7, 120, kFlagReaped));
  EXPECT_EQ(log.size(), 2u);
  // A reused pid is a new process with its own end.
  log.append(ev(EventKind::process_start, 7, 200));
  log.append(ev(EventKind::process_killed, 7, 300, kFlagReaped));
  EXPECT_EQ(log.size(), 4u);
}

// A child can exit before its parent's start() returns and reports it: the
// late process_start is the same process, and the reaper's end is a duplicate.
TEST(EventLog, ALateStartDoesNotReopenAnEndedProcess) {
  EventLog log;
  log.append(ev(EventKind::process_exit, 9, 100));
  log.append(ev(EventKind::process_start, 9, 50));
  log.append(ev(EventKind::process_exit, 9, 130, kFlagReaped));
  EXPECT_EQ(log.size(), 2u);
}

TEST(EventLog, ConcurrentWritersLoseNothing) {
  EventLog log;
  std::vector<std::thread> ts;
  for (int t = 0; t < 4; ++t)
    ts.emplace_back([&, t] {
      for (int i = 0; i < 5000; ++i) log.append(ev(EventKind::print, t, i));
    });
  for (auto& t : ts) t.join();
  EXPECT_EQ(log.size(), 20000u);
}

TEST(Normalize, SortsAndPrefersTheProcessOwnExit) {
  std::vector<Event> evs = {
      ev(EventKind::process_exit, 5, 90, kFlagReaped),  // reaper, arrived first
      ev(EventKind::print, 5, 50),
      ev(EventKind::process_start, 5, 10),
      ev(EventKind::process_exit, 5, 80),  // the process's own word
  };
  evs[3].value = 3;
  normalize_recording(evs, std::nullopt);
  ASSERT_EQ(evs.size(), 3u);
  EXPECT_EQ(evs[0].kind, EventKind::process_start);
  EXPECT_EQ(evs[2].kind, EventKind::process_exit);
  EXPECT_EQ(evs[2].value, 3);
  EXPECT_EQ(evs[2].t_ns, 80);
  EXPECT_EQ(evs[2].flags & kFlagReaped, 0);
}

TEST(Normalize, KillsAfterStopAreByStopAndRunEndIsLast) {
  Event k = ev(EventKind::process_killed, 9, 500, kFlagReaped);
  k.text = "signal";
  k.value = 15;
  Event end = ev(EventKind::run_end, 0, 400);
  end.text = "stopped";
  std::vector<Event> evs = {ev(EventKind::process_start, 9, 0), end, k};
  normalize_recording(evs, 450);
  ASSERT_EQ(evs.size(), 3u);
  EXPECT_EQ(evs[1].text, "stop");
  EXPECT_EQ(evs[2].kind, EventKind::run_end);
  EXPECT_GE(evs[2].t_ns, evs[1].t_ns);
}

// The log stores events packed (56-byte records, strings in an arena): what
// comes out must be exactly what went in, for every field and string shape.
TEST(EventLog, PackedStorageGivesBackEveryFieldAndString) {
  EventLog log;
  std::vector<Event> in;
  const std::string huge(3 << 20, 'x');  // longer than an arena chunk
  for (int i = 0; i < 70'000; ++i) {  // several record blocks and string chunks
    Event e = ev(static_cast<EventKind>(1 + i % kEventKindCount), 100 + i % 7, i * 3, uint8_t(i));
    e.other = -i;
    e.value = int64_t(i) << 33;
    e.limit = i % 11;
    e.seconds = i * 0.25;
    e.line = i % 500;
    e.name = i % 3 == 0 ? "lock" : i % 3 == 1 ? "" : "MyProcess-" + std::to_string(i % 40);
    e.text = i % 5 == 0 ? "Pid: " + std::to_string(i) + " LoopCount: " + std::to_string(i)
                        : std::string(i % 30, char('a' + i % 26));
    if (i == 12'345) e.text = huge;
    if (e.kind == EventKind::process_start) e.kind = EventKind::print;  // no end bookkeeping
    if (e.kind == EventKind::process_exit || e.kind == EventKind::process_killed)
      e.kind = EventKind::sleep_end;
    in.push_back(e);
  }
  log.append(in);
  auto out = log.snapshot();
  ASSERT_EQ(out.size(), in.size());
  for (size_t i = 0; i < in.size(); ++i) ASSERT_EQ(out[i], in[i]) << "event " << i;
  std::vector<Event> tail;
  EXPECT_EQ(log.copy_since(in.size() - 3, tail), in.size());
  ASSERT_EQ(tail.size(), 3u);
  EXPECT_EQ(tail[2], in.back());
}
