// GUI-free helpers of the window: settings file, source-line mapping, lane
// folding, the sync state at the cursor.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>

#include "app/gui/lane_draw.hpp"
#include "app/gui/pool_view.hpp"
#include "app/gui/run_analysis.hpp"
#include "app/gui/run_model.hpp"
#include "app/gui/settings.hpp"
#include "app/gui/source_map.hpp"
#include "app/gui/sync_cursor.hpp"
#include "engine/model/replay_model.hpp"

namespace mpviz::gui {
namespace {

TEST(Settings, RoundTripThroughTheFile) {
  const std::string dir = ::testing::TempDir() + "mpviz-settings-test/sub";
  std::filesystem::remove_all(::testing::TempDir() + "mpviz-settings-test");
  Settings s;
  s.lang = "en";
  s.theme = "light";
  s.font_scale = 200;
  s.start_held = true;
  s.python = "/home/student/venv/bin/python";
  s.width = 1920;
  s.height = 1080;
  const std::string path = dir + "/settings.ini";
  ASSERT_EQ(save_settings(path, s), "");
  EXPECT_EQ(load_settings(path), s);
  EXPECT_EQ(parse_settings(format_settings(s)), s);
}

TEST(Settings, BadValuesKeepDefaults) {
  Settings d;
  Settings s = parse_settings("lang=fr\ntheme=pink\nfont_scale=900\nstart_held=yes\nwidth=x\njunk\n=\n");
  EXPECT_EQ(s, d);
  s = parse_settings("  font_scale = 150 \n# comment\nlang=en\n");
  EXPECT_EQ(s.font_scale, 150);
  EXPECT_EQ(s.lang, "en");
  EXPECT_EQ(load_settings("/nonexistent/dir/settings.ini"), d);
}

TEST(Settings, PathFollowsXdg) {
  setenv("XDG_CONFIG_HOME", "/tmp/xdg-test", 1);
  EXPECT_EQ(settings_path(), "/tmp/xdg-test/mpviz/settings.ini");
  unsetenv("XDG_CONFIG_HOME");
  setenv("HOME", "/home/someone", 1);
  EXPECT_EQ(settings_path(), "/home/someone/.config/mpviz/settings.ini");
}

TEST(SourceMap, LinesOfTheLockListing) {
  const std::vector<std::string> lines = {
      "# acquire() in a comment",      // 0
      "import time",                   // 1
      "    def run(self):",            // 2
      "        time.sleep(0.1)",       // 3
      "        self.lock.acquire()",   // 4
      "        print(f'Pid: {x}')",    // 5
      "        self.lock.release()",   // 6
      "        q.put(1)",              // 7
      "        q.get_nowait()",        // 8
      "        q.get()",               // 9
      "    p.start()",                 // 10
      "    p.join()",                  // 11
  };
  EXPECT_EQ(source_line_for(lines, EventKind::lock_wait, "lock"), 4);
  EXPECT_EQ(source_line_for(lines, EventKind::lock_acquire, ""), 4);
  EXPECT_EQ(source_line_for(lines, EventKind::lock_release, "lock"), 6);
  EXPECT_EQ(source_line_for(lines, EventKind::sleep_begin, ""), 3);
  EXPECT_EQ(source_line_for(lines, EventKind::print, ""), 5);
  EXPECT_EQ(source_line_for(lines, EventKind::queue_put_wait, "q"), 7);
  EXPECT_EQ(source_line_for(lines, EventKind::queue_get, "q"), 9);  // not get_nowait
  EXPECT_EQ(source_line_for(lines, EventKind::process_start, ""), 10);
  EXPECT_EQ(source_line_for(lines, EventKind::join_begin, ""), 11);
  EXPECT_EQ(source_line_for(lines, EventKind::pipe_send, ""), -1);
  EXPECT_EQ(source_line_for(lines, EventKind::process_exit, ""), -1);
}

TEST(SourceMap, ObjectNamePreferred) {
  const std::vector<std::string> lines = {"    empty.acquire()", "    full.acquire()"};
  EXPECT_EQ(source_line_for(lines, EventKind::sem_wait, "full"), 1);
  EXPECT_EQ(source_line_for(lines, EventKind::sem_wait, "other"), 0);
}

TEST(SourceMap, PythonLineIsThePidsLatestLineBeforeTheCursor) {
  auto ev = [](int32_t pid, EventKind k, int32_t line) {
    Event e = make_event(k, pid, 0);
    e.line = line;
    return e;
  };
  const std::vector<Event> evs = {
      ev(7, EventKind::process_start, 24),  // the parent's start() line: not the child's
      ev(7, EventKind::sleep_begin, 14),
      ev(8, EventKind::lock_wait, 15),
      ev(7, EventKind::sleep_end, 14),
      ev(7, EventKind::print, 0),  // a traceback line from stderr: no line
      ev(7, EventKind::lock_wait, 15),
      ev(9, EventKind::process_start, 24),
  };
  EXPECT_EQ(python_line_of(evs, evs.size(), 7, 100), 14);  // 0-based
  EXPECT_EQ(python_line_of(evs, 3, 7, 100), 13);          // the cursor before the wait
  EXPECT_EQ(python_line_of(evs, evs.size(), 8, 100), 14);
  EXPECT_EQ(python_line_of(evs, evs.size(), 9, 100), -1);  // started, nothing of its own yet
  EXPECT_EQ(python_line_of(evs, evs.size(), 7, 1), -1);    // scan limit
  EXPECT_EQ(python_line_of(evs, 99, 7, 100), 14);          // end past the events
}

TEST(SourceMap, HeldOperationIsTheNextCallOfItsKind) {
  const std::vector<std::string> lines = {
      "lock.acquire()",   // 0
      "time.sleep(1)",    // 1
      "lock.release()",   // 2
      "lock.acquire()",   // 3
      "other.acquire()",  // 4
  };
  EXPECT_EQ(source_line_after(lines, EventKind::lock_acquire, "lock", 1), 3);
  EXPECT_EQ(source_line_after(lines, EventKind::lock_acquire, "lock", 4), 0);  // wraps
  EXPECT_EQ(source_line_after(lines, EventKind::lock_acquire, "other", 0), 4);
  EXPECT_EQ(source_line_after(lines, EventKind::lock_acquire, "", 4), 4);
  EXPECT_EQ(source_line_after(lines, EventKind::pipe_send, "", 0), -1);
}

TEST(SourceMap, ListingsOfEveryScenarioLoad) {
  std::string err;
  auto lines = load_listing(std::string(MPVIZ_SOURCE_DIR) + "/assets/listings/lock.py", err);
  EXPECT_EQ(err, "");
  EXPECT_GE(source_line_for(lines, EventKind::lock_wait, "lock"), 0);
  EXPECT_GE(source_line_for(lines, EventKind::sleep_begin, ""), 0);
  load_listing("/nonexistent.py", err);
  EXPECT_NE(err, "");
}

TEST(LaneDraw, MillionSegmentsFoldToAFewThousandItems) {
  std::vector<Segment> segs;
  segs.reserve(1000000);
  for (int64_t i = 0; i < 1000000; ++i)
    segs.push_back(Segment{i * 1000, (i + 1) * 1000, i % 2 ? LaneState::Sleeping : LaneState::Running});
  LaneView v{0, 1e9 / 1200.0, 0, 1200, 0};  // the whole second across 1200 px
  std::vector<LaneItem> items;
  lane_items(segs, v, items);
  EXPECT_GT(items.size(), 50u);
  EXPECT_LE(items.size(), 2000u);
  int64_t covered = 0;
  for (const LaneItem& it : items) covered += it.count;
  EXPECT_EQ(covered, 1000000);
  // Zoomed in to 10 segments: no folding, one item each.
  LaneView z{0, 10000.0 / 1200.0, 0, 1200, 0};
  lane_items(segs, z, items);
  EXPECT_EQ(items.size(), 10u);
  for (const LaneItem& it : items) EXPECT_EQ(it.count, 1);
}

TEST(LaneDraw, OpenSegmentEndsAtNow) {
  std::vector<Segment> segs = {Segment{0, kOpenEnd, LaneState::Sleeping}};
  LaneView v{0, 1.0, 0, 100, 50};
  std::vector<LaneItem> items;
  lane_items(segs, v, items);
  ASSERT_EQ(items.size(), 1u);
  EXPECT_FLOAT_EQ(items[0].x1, 50);
}

TEST(SyncCursor, LoadedRecordingMatchesTheReplayModel) {
  LoadResult r = load_jsonl_file(std::string(MPVIZ_SOURCE_DIR) + "/tests/gui/data/dead_holder.jsonl");
  ASSERT_TRUE(r.recording) << r.error;
  ReplayModel replay(r.recording->events);
  RunModel run;
  run.load(*r.recording, "dead_holder.jsonl");
  SyncCursor cur;
  for (int64_t t : {int64_t{0}, int64_t{3'200'000}, int64_t{4'500'000}, int64_t{9'000'000}}) {
    cur.update(run, t);
    EXPECT_EQ(cur.state(), replay.state_at(t)) << "t=" << t;
  }
  cur.update(run, kCursorNow);
  const SyncState& end = cur.state();
  ASSERT_EQ(end.queues.count("buffer"), 1u);
  EXPECT_EQ(end.queues.at("buffer").items.size(), 3u);
  ASSERT_EQ(end.locks.count("lock"), 1u);
  EXPECT_TRUE(end.locks.at("lock").owner_dead);
}

// The pool at a cursor: waiting (submitted, not begun), running (which
// worker), finished (with the result), from the events before the cursor.
TEST(PoolView, TasksWaitRunAndFinishUpToTheCursor) {
  auto ev = [](EventKind k, int32_t pid, int64_t t, int32_t task, const char* text = "") {
    Event e = make_event(k, pid, t);
    e.other = task;
    e.name = "function";
    e.text = text;
    return e;
  };
  const std::vector<Event> evs = {
      ev(EventKind::pool_submit, 10, 1, 0),      ev(EventKind::pool_submit, 10, 2, 1),
      ev(EventKind::pool_submit, 10, 3, 2),      ev(EventKind::pool_task_begin, 11, 4, 0),
      ev(EventKind::pool_task_begin, 12, 5, 1),  ev(EventKind::pool_task_end, 11, 6, 0, "0"),
      ev(EventKind::pool_task_begin, 11, 7, 2),
  };
  PoolView v = build_pool_view(evs, 0);
  EXPECT_TRUE(v.empty());

  v = build_pool_view(evs, 3);  // all submitted, none begun
  ASSERT_EQ(v.tasks.size(), 3u);
  EXPECT_EQ(v.count(PoolTaskInfo::Stage::Waiting), 3u);
  EXPECT_EQ(v.tasks[0].func, "function");

  v = build_pool_view(evs, 6);  // task 0 done by 11, task 1 on 12, task 2 waits
  EXPECT_EQ(v.tasks[0].stage, PoolTaskInfo::Stage::Done);
  EXPECT_EQ(v.tasks[0].worker, 11);
  EXPECT_EQ(v.tasks[0].result, "0");
  EXPECT_EQ(v.tasks[1].stage, PoolTaskInfo::Stage::Running);
  EXPECT_EQ(v.tasks[1].worker, 12);
  EXPECT_EQ(v.tasks[2].stage, PoolTaskInfo::Stage::Waiting);
  EXPECT_EQ(v.tasks[2].worker, 0);

  v = build_pool_view(evs, 100);  // clamped: the worker 11 is reused for task 2
  EXPECT_EQ(v.count(PoolTaskInfo::Stage::Waiting), 0u);
  EXPECT_EQ(v.count(PoolTaskInfo::Stage::Running), 2u);
  EXPECT_EQ(v.tasks[2].worker, 11);
}

// The stuck banner at a time cursor agrees with the cursor: the lock's
// holder is dead only after it was killed (8 ms in the recording).
TEST(StuckAt, FollowsTheCursorNotTheEnd) {
  LoadResult r = load_jsonl_file(std::string(MPVIZ_SOURCE_DIR) + "/tests/gui/data/dead_holder.jsonl");
  ASSERT_TRUE(r.recording) << r.error;
  const auto& evs = r.recording->events;
  EXPECT_FALSE(stuck_at(evs, 0, true).any());
  EXPECT_FALSE(stuck_at(evs, 6'000'000, true).any());
  const StuckReport late = stuck_at(evs, 8'050'000, true);
  ASSERT_EQ(late.dead_holders.size(), 1u);
  EXPECT_EQ(late.dead_holders[0].pid, 101);
}

}  // namespace
}  // namespace mpviz::gui
