// What the run means as a whole, for the views: the engine's TimelineModel
// (spans, flows, counters) and the stuck/deadlock report. Rebuilt from the
// events at most a few times a second while new events arrive (the hint
// must show within a second; nothing is rebuilt on an idle frame). GUI-free.
#pragma once
#include <cstdint>

#include "app/gui/run_model.hpp"
#include "engine/model/deadlock.hpp"
#include "engine/model/timeline_model.hpp"

namespace mpviz::gui {

// The stuck report as of time t (the time cursor): the timeline of the
// events with t_ns <= t, its open spans taken as "now" = t. keep_deadlock:
// false for a finished or stopped live run (only dead holders are news).
StuckReport stuck_at(const std::vector<Event>& events, int64_t t, bool keep_deadlock);

class RunAnalysis {
 public:
  static constexpr double kRebuildPeriodS = 0.25;
  // now_s: a monotonic clock in seconds (for the rebuild throttle).
  void update(const RunModel& run, double now_s);
  const TimelineModel& timeline() const { return tm_; }
  const StuckReport& stuck() const { return stuck_; }
  uint64_t built_generation() const { return gen_; }

 private:
  TimelineModel tm_;
  StuckReport stuck_;
  uint64_t gen_ = ~0ull;
  bool was_live_ = false;
  double last_s_ = -1e9;
};

}  // namespace mpviz::gui
