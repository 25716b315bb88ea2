#include "app/gui/run_analysis.hpp"

#include <algorithm>

namespace mpviz::gui {

StuckReport stuck_at(const std::vector<Event>& events, int64_t t, bool keep_deadlock) {
  const auto end = std::upper_bound(events.begin(), events.end(), t,
                                    [](int64_t x, const Event& e) { return x < e.t_ns; });
  StuckReport r = find_stuck(build_timeline(std::vector<Event>(events.begin(), end)), t);
  if (!keep_deadlock) {
    r.deadlock = false;
    r.blocked.clear();
  }
  return r;
}

void RunAnalysis::update(const RunModel& run, double now_s) {
  const bool live = run.live();
  const bool changed = run.generation() != gen_ || live != was_live_;
  if (!changed) return;
  // While events stream in, rebuild a few times a second; the final state
  // (run over, recording loaded) at once.
  if (live && was_live_ && now_s - last_s_ < kRebuildPeriodS) return;
  tm_ = build_timeline(run.events());
  stuck_ = find_stuck(tm_);
  if (!live && run.status() != ViewStatus::Recording) {
    // A finished or stopped run moves no more: only dead holders are news.
    stuck_.deadlock = false;
    stuck_.blocked.clear();
  }
  gen_ = run.generation();
  was_live_ = live;
  last_s_ = now_s;
}

}  // namespace mpviz::gui
