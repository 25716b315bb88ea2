#include "engine/explore/controlled_run.hpp"

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <chrono>
#include <map>
#include <set>
#include <thread>

#include "engine/recording/recording.hpp"

namespace mpviz::explore {

namespace {

using Clock = std::chrono::steady_clock;

double ms_since(Clock::time_point t) {
  return std::chrono::duration<double, std::milli>(Clock::now() - t).count();
}

// What each process of the run is doing, from its events: enough to know
// who is blocked, who has ended and what each is called.
struct ProcessStates {
  struct P {
    std::string name;
    bool ended = false;
    int waiting = 0;  // an open wait: lock/sem/queue/pipe/join
    std::string waits_for;
  };
  std::map<int32_t, P> procs;
  std::map<std::string, int> name_count;

  void apply(const Event& e) {
    auto& p = procs[e.pid];
    switch (e.kind) {
      case EventKind::process_start:
        if (p.name.empty()) {
          int k = ++name_count[e.name];
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
        p.waiting = 1;
        p.waits_for = e.name;
        break;
      case EventKind::join_begin:
        p.waiting = 1;
        p.waits_for = "join";
        break;
      case EventKind::lock_acquire:
      case EventKind::sem_acquire:
      case EventKind::queue_put:
      case EventKind::queue_get:
      case EventKind::pipe_recv:
      case EventKind::join_end:
      case EventKind::op_timeout: p.waiting = 0; break;
      default: break;
    }
  }
};

// The kernel's word on a process that is neither held nor in a traced wait:
// asleep (an untraced wait, such as CPython joining its children at exit)
// or a zombie counts as settled; running means it will do more.
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

}  // namespace

ControlledRunResult controlled_run(RunRequest req, Strategy* strategy, const RunLimits& lim) {
  ControlledRunResult res;
  req.start_held = strategy != nullptr;
  EventLog log;
  Supervisor sup(log);
  if (auto ec = sup.start(req)) {
    res.status = "error";
    res.error = ec.message();
    return res;
  }
  auto t_start = Clock::now();
  ProcessStates states;
  size_t seen = 0;
  std::vector<Event> fresh;
  auto last_event = Clock::now();
  auto pull = [&] {
    fresh.clear();
    seen = log.copy_since(seen, fresh);
    for (const auto& e : fresh) states.apply(e);
    if (!fresh.empty()) last_event = Clock::now();
    return !fresh.empty();
  };

  std::string verdict;
  int32_t granted_pid = 0;
  uint64_t granted_seq = 0;
  auto since_choice = Clock::now();
  bool asked_to_wait = false;
  auto wait_started = Clock::now();
  while (verdict.empty()) {
    if (sup.done()) break;
    std::this_thread::sleep_for(std::chrono::microseconds(250));
    pull();
    if (ms_since(t_start) > lim.max_seconds * 1000) {
      verdict = "stopped";
      break;
    }
    auto pending = sup.steps().pending();  // always empty in a free run
    // Settled: the granted operation has gone on, every live process is
    // held or blocked, each held one is known by name, and nothing new has
    // come for a moment.
    bool granted_done = std::none_of(pending.begin(), pending.end(), [&](const PendingOp& op) {
      return op.pid == granted_pid && op.seq == granted_seq;
    });
    std::set<int32_t> held;
    for (const auto& op : pending) held.insert(op.pid);
    bool all_known = std::all_of(pending.begin(), pending.end(), [&](const PendingOp& op) {
      auto it = states.procs.find(op.pid);
      return it != states.procs.end() && !it->second.name.empty();
    });
    bool all_placed = true, all_blocked = true;
    int live = 0;
    for (const auto& [pid, p] : states.procs) {
      if (p.ended || p.name.empty()) continue;
      ++live;
      if (!held.count(pid) && !p.waiting && !idle_in_kernel(pid)) all_placed = false;
      if (!p.waiting) all_blocked = false;
    }
    double quiet = ms_since(last_event);
    if (pending.empty()) {
      if (live > 0 && all_blocked && quiet >= lim.deadlock_ms) verdict = "deadlock";
      continue;
    }
    bool settled = granted_done && all_known && all_placed && quiet >= lim.settle_quiet_ms;
    bool overdue = granted_done && all_known && ms_since(since_choice) >= lim.settle_max_ms;
    if (!settled && !overdue) continue;

    std::vector<ReadyOp> ready;
    for (const auto& op : pending) {
      ReadyOp r;
      r.pid = op.pid;
      r.op = {states.procs[op.pid].name, op.kind, op.obj};
      ready.push_back(std::move(r));
    }
    std::sort(ready.begin(), ready.end(), [](const ReadyOp& a, const ReadyOp& b) {
      return std::tie(a.op.proc, a.pid) < std::tie(b.op.proc, b.pid);
    });
    int pick = strategy->choose(ready, asked_to_wait && ms_since(wait_started) >= lim.replay_wait_ms);
    if (pick == Strategy::kWait) {
      if (!asked_to_wait) wait_started = Clock::now();
      asked_to_wait = true;
      continue;
    }
    asked_to_wait = false;
    if (pick == Strategy::kAbandon) {
      verdict = "pruned";
      break;
    }
    if (static_cast<int>(res.steps.size()) >= lim.max_steps) {
      verdict = "stopped";
      break;
    }
    const ReadyOp& r = ready[static_cast<size_t>(pick)];
    for (const auto& op : pending)
      if (op.pid == r.pid) granted_seq = op.seq;
    granted_pid = r.pid;
    if (!sup.steps().step_pid(r.pid)) continue;  // it went away meanwhile: look again
    res.steps.push_back(r.op);
    since_choice = Clock::now();
  }
  if (!verdict.empty()) {
    if (verdict == "deadlock")
      for (const auto& [pid, p] : states.procs)
        if (!p.ended && p.waiting) res.deadlocked.push_back(p.name + ": waits for " + p.waits_for);
    sup.stop();
  }
  sup.wait(std::chrono::seconds(10));
  res.off_path = strategy && strategy->off_path();
  res.events = log.snapshot();
  normalize_recording(res.events, sup.stop_time());
  if (!verdict.empty())
    res.status = verdict;
  else
    res.status = sup.status() == RunStatus::Failed ? "failed" : "finished";
  return res;
}

}  // namespace mpviz::explore
