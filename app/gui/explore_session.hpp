// The Explore panel's work, off the frame loop: N held runs on a thread of
// their own (engine/explore), grouped by outcome as they finish; and the
// live replay of one outcome's schedule, ticked once per frame on the
// window's own run so that the student watches it step.
#pragma once
#include <atomic>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "engine/explore/controlled_run.hpp"
#include "engine/explore/outcome.hpp"
#include "engine/explore/step_driver.hpp"
#include "engine/recording/recording.hpp"

namespace mpviz::gui {

struct ExploreGroup {
  explore::Outcome outcome;
  int count = 0;
  std::vector<Event> events;                  // the first run with this outcome
  std::vector<explore::ScheduleStep> steps;   // and its schedule
};

class ExploreSession {
 public:
  ~ExploreSession();
  // strategy: "random", "pct" or "systematic".
  void start(const RunRequest& req, int runs, const std::string& strategy, uint64_t seed);
  void cancel();  // blocks until the current run is stopped
  bool busy() const { return busy_; }
  int done_runs() const { return done_; }
  int total_runs() const { return total_; }
  // A copy of the groups, most common first (cheap: a few per exploration).
  std::vector<ExploreGroup> groups() const;
  uint64_t generation() const { return generation_; }

 private:
  void work(RunRequest req, int runs, std::string strategy, uint64_t seed);
  std::thread thread_;
  std::atomic<bool> busy_{false}, cancel_{false};
  std::atomic<int> done_{0}, total_{0};
  std::atomic<uint64_t> generation_{0};
  mutable std::mutex mu_;
  std::vector<ExploreGroup> groups_;
};

// The live replay: owns the strategy and the driver; AppState feeds it.
struct LiveReplay {
  std::unique_ptr<explore::Strategy> strategy;
  std::unique_ptr<explore::StepDriver> driver;
  size_t fed = 0;             // events of the run already fed
  uint64_t rewrite_gen = 0;
  int total_steps = 0;
  std::string verdict;
};

}  // namespace mpviz::gui
