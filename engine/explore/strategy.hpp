// Schedulers as strategies (as in Coyote and Shuttle): at a point where the
// run is held, these operations are ready; which goes next? The run loop
// (controlled_run) knows nothing of which strategy it drives.
#pragma once
#include <cstdint>
#include <map>
#include <memory>
#include <random>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "engine/explore/schedule.hpp"

namespace mpviz::explore {

// One held operation, named as in a schedule.
struct ReadyOp {
  ScheduleStep op;
  int32_t pid = 0;
};

class Strategy {
 public:
  static constexpr int kWait = -1;     // not yet: wait for more processes to be ready
  static constexpr int kAbandon = -2;  // this run can only repeat one already run: stop it
  virtual ~Strategy() = default;
  // `ready` is sorted by process name. `waited_long`: the loop has waited a
  // long time since the last kWait and asks for a decision now.
  virtual int choose(const std::vector<ReadyOp>& ready, bool waited_long) = 0;
  virtual const char* name() const = 0;
  // Replay only: a step did not find its recorded operation.
  virtual bool off_path() const { return false; }
};

// Uniform choice among the ready operations, seeded.
std::unique_ptr<Strategy> random_strategy(uint64_t seed);

// Probabilistic concurrency testing (Burckhardt et al., ASPLOS 2010): each
// process gets a random priority on first sight; the highest-priority ready
// process goes; at `depth - 1` random steps among the first `est_steps`,
// the running process drops below every other. A bug that needs `depth`
// ordering constraints is found with probability >= 1/(n * k^(depth-1)).
std::unique_ptr<Strategy> pct_strategy(uint64_t seed, int depth, int est_steps);

// The same order again: step i grants the process named in steps[i]; after
// the last step, the oldest-name first.
std::unique_ptr<Strategy> replay_strategy(std::vector<ScheduleStep> steps);

// Depth-first enumeration of the schedules of a small run, with sleep sets
// (Godefroid) so that orders that differ only by swapping independent
// operations (different processes, different objects) are run once. One
// DfsExplorer lives across runs; next_run() gives the strategy for the next
// run, finish_run() backtracks.
class DfsExplorer {
 public:
  bool has_next() const { return !exhausted_; }
  std::unique_ptr<Strategy> next_run();
  void finish_run();  // after the run that next_run()'s strategy drove
  bool complete() const { return exhausted_; }

  struct Node {
    std::vector<ScheduleStep> enabled;
    std::set<std::tuple<std::string, int, std::string>> done, sleep;
    size_t chosen = 0;  // index into enabled
  };

 private:
  friend class DfsRun;
  std::vector<Node> stack_;
  size_t replay_depth_ = 0;  // the next run follows stack_[0..replay_depth_) as chosen
  bool exhausted_ = false;
};

// Two operations commute when they are by different processes and touch
// different named objects; prints share "stdout" (their order is output).
bool independent(const ScheduleStep& a, const ScheduleStep& b);

}  // namespace mpviz::explore
