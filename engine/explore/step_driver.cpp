#include "engine/explore/step_driver.hpp"

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <set>

namespace mpviz::explore {

namespace {
double ms_since(std::chrono::steady_clock::time_point t) {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t).count();
}
}  // namespace

// Asleep (an untraced wait, such as CPython joining its children at exit),
// stopped or a zombie counts as settled; running means it will do more.
bool idle_in_kernel(int32_t pid) {
  char path[64];
  std::snprintf(path, sizeof path, "/proc/%d/stat", pid);
  FILE* f = std::fopen(path, "re");
  if (!f) return true;  // gone
  char buf[512];
  size_t n = std::fread(buf, 1, sizeof buf - 1, f);
  std::fclose(f);
  buf[n] = 0;
  const char* rp = std::strrchr(buf, ')');
  if (!rp || rp[1] != ' ') return false;
  char st = rp[2];
  return st == 'S' || st == 'D' || st == 'Z' || st == 'X' || st == 't' || st == 'T';
}

StepDriver::StepDriver(Strategy& s, const DriveLimits& lim) : strategy_(s), lim_(lim) {
  start_ = last_event_ = since_choice_ = wait_started_ = Clock::now();
}

void StepDriver::on_events(const std::vector<Event>& fresh) {
  if (fresh.empty()) return;
  last_event_ = Clock::now();
  for (const auto& e : fresh) {
    auto& p = procs_[e.pid];
    switch (e.kind) {
      case EventKind::process_start:
        if (p.name.empty()) {
          int k = ++name_count_[e.name];
          p.name = k == 1 ? e.name : e.name + "#" + std::to_string(k);
        }
        break;
      case EventKind::process_exit:
      case EventKind::process_killed: p.ended = true; break;
      case EventKind::lock_wait:
      case EventKind::sem_wait:
      case EventKind::queue_put_wait:
      case EventKind::queue_get_wait:
      case EventKind::pipe_recv_wait:
        p.waiting = true;
        p.waits_for = e.name;
        break;
      case EventKind::join_begin:
        p.waiting = true;
        p.waits_for = "join";
        break;
      case EventKind::lock_acquire:
      case EventKind::sem_acquire:
      case EventKind::queue_put:
      case EventKind::queue_get:
      case EventKind::pipe_recv:
      case EventKind::join_end:
      case EventKind::op_timeout: p.waiting = false; break;
      default: break;
    }
  }
}

StepDriver::Decision StepDriver::tick(const std::vector<PendingOp>& pending) {
  Decision d;
  if (ms_since(start_) > lim_.max_seconds * 1000 || (lim_.cancel && lim_.cancel->load())) {
    d.verdict = "stopped";
    return d;
  }
  // Settled: the granted operation has gone on, every live process is held,
  // blocked or idle in the kernel, each held one is known by name, and
  // nothing new has come for a moment.
  bool granted_done = std::none_of(pending.begin(), pending.end(), [&](const PendingOp& op) {
    return op.pid == granted_pid_ && op.seq == granted_seq_;
  });
  std::set<int32_t> held;
  for (const auto& op : pending) held.insert(op.pid);
  bool all_known = std::all_of(pending.begin(), pending.end(), [&](const PendingOp& op) {
    auto it = procs_.find(op.pid);
    return it != procs_.end() && !it->second.name.empty();
  });
  bool all_placed = true, all_blocked = true;
  int live = 0;
  for (const auto& [pid, p] : procs_) {
    if (p.ended || p.name.empty()) continue;
    ++live;
    if (!p.waiting) all_blocked = false;
    if (!held.count(pid) && !p.waiting && all_placed && !idle_in_kernel(pid)) all_placed = false;
  }
  double quiet = ms_since(last_event_);
  if (pending.empty()) {
    if (live > 0 && all_blocked && quiet >= lim_.deadlock_ms) d.verdict = "deadlock";
    return d;
  }
  bool settled = granted_done && all_known && all_placed && quiet >= lim_.settle_quiet_ms;
  bool overdue = granted_done && all_known && ms_since(since_choice_) >= lim_.settle_max_ms;
  if ((!settled && !overdue) || ms_since(since_choice_) < lim_.min_step_ms) return d;

  ready_.clear();
  for (const auto& op : pending) ready_.push_back({{procs_[op.pid].name, op.kind, op.obj}, op.pid});
  std::sort(ready_.begin(), ready_.end(), [](const ReadyOp& a, const ReadyOp& b) {
    return std::tie(a.op.proc, a.pid) < std::tie(b.op.proc, b.pid);
  });
  int pick = strategy_.choose(ready_, asked_to_wait_ && ms_since(wait_started_) >= lim_.replay_wait_ms);
  if (pick == Strategy::kWait) {
    if (!asked_to_wait_) wait_started_ = Clock::now();
    asked_to_wait_ = true;
    return d;
  }
  asked_to_wait_ = false;
  if (pick == Strategy::kAbandon) {
    d.verdict = "pruned";
    return d;
  }
  if (static_cast<int>(steps_.size()) >= lim_.max_steps) {
    d.verdict = "stopped";
    return d;
  }
  const ReadyOp& r = ready_[static_cast<size_t>(pick)];
  for (const auto& op : pending)
    if (op.pid == r.pid) granted_seq_ = op.seq;
  d.grant = r.pid;
  granted_pid_ = 0;
  return d;
}

void StepDriver::granted(int32_t pid) {
  for (const auto& r : ready_)
    if (r.pid == pid) {
      steps_.push_back(r.op);
      break;
    }
  granted_pid_ = pid;
  since_choice_ = Clock::now();
}

std::vector<std::string> StepDriver::blocked() const {
  std::vector<std::string> out;
  for (const auto& [pid, p] : procs_)
    if (!p.ended && p.waiting) out.push_back(p.name + ": waits for " + p.waits_for);
  return out;
}

}  // namespace mpviz::explore
