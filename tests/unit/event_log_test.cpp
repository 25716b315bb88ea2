#include <gtest/gtest.h>

#include <thread>

#include "engine/event_log.hpp"
#include "engine/recording.hpp"

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
