// The deadlock hint: when every live process of a run is blocked on
// something, and nothing that is still alive and running can release it, the
// run will never move again by itself. Also: locks held by dead processes
// (a killed holder never releases; its waiters are stuck for good).
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "engine/model/timeline_model.hpp"

namespace mpviz {

struct BlockedOn {
  int32_t pid = 0;
  std::string name;   // process name
  SpanKind kind = SpanKind::WaitLock;
  std::string obj;    // what it waits for
  int64_t since = 0;
};

struct DeadLockHolder {
  std::string lock;
  int32_t pid = 0;  // the dead holder
  std::string name;
  std::vector<int32_t> waiters;
};

struct StuckReport {
  bool deadlock = false;              // every live process is blocked
  std::vector<BlockedOn> blocked;     // each live blocked process
  std::vector<DeadLockHolder> dead_holders;
  bool any() const { return deadlock || !dead_holders.empty(); }
  std::string summary_en() const;
  std::string summary_zh() const;
};

// `m` is the timeline of a run still going (its open spans are "now").
// A deadlock is reported only when every live process has been blocked for
// at least `min_stuck_ns` at `now_ns` (default: the model's last event): a
// process just woken but not yet traced as awake is not a deadlock.
StuckReport find_stuck(const TimelineModel& m, int64_t now_ns = -1,
                       int64_t min_stuck_ns = 200'000'000);

}  // namespace mpviz
