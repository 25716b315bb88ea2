#include "engine/model/deadlock.hpp"

#include <map>

namespace mpviz {
namespace {
bool is_wait(SpanKind k) {
  switch (k) {
    case SpanKind::WaitLock:
    case SpanKind::WaitSemaphore:
    case SpanKind::WaitPut:
    case SpanKind::WaitGet:
    case SpanKind::WaitRecv:
    case SpanKind::Join: return true;
    default: return false;
  }
}
}  // namespace

StuckReport find_stuck(const TimelineModel& m, int64_t now_ns, int64_t min_stuck_ns) {
  if (now_ns < 0) now_ns = m.t_end;
  StuckReport r;
  std::map<int32_t, const ProcessLife*> live, dead;
  for (const auto& p : m.processes) (p.t_end < 0 ? live : dead)[p.pid] = &p;
  std::map<int32_t, const Span*> waiting;
  std::map<std::string, std::vector<int32_t>> lock_waiters;
  for (const auto& s : m.spans) {
    if (!s.open || !live.count(s.pid) || !is_wait(s.kind)) continue;
    waiting[s.pid] = &s;
    if (s.kind == SpanKind::WaitLock) lock_waiters[s.obj].push_back(s.pid);
  }
  for (const auto& s : m.spans)
    if (s.open && s.kind == SpanKind::HoldLock && dead.count(s.pid))
      r.dead_holders.push_back({s.obj, s.pid, dead[s.pid]->name, lock_waiters[s.obj]});
  for (const auto& [pid, s] : waiting)
    r.blocked.push_back({pid, live[pid]->name, s->kind, s->obj, s->begin});
  bool long_enough = true;
  for (const auto& [pid, s] : waiting) long_enough &= now_ns - s->begin >= min_stuck_ns;
  r.deadlock = !live.empty() && waiting.size() == live.size() && long_enough;
  return r;
}

std::string StuckReport::summary_en() const {
  std::string out;
  for (const auto& d : dead_holders)
    out += "'" + d.lock + "' is held by dead process " + d.name + " (" + std::to_string(d.pid) +
           "): its " + std::to_string(d.waiters.size()) + " waiter(s) will wait forever. ";
  if (deadlock)
    out += "Deadlock: every live process is blocked and none can release the others.";
  return out;
}

std::string StuckReport::summary_zh() const {
  std::string out;
  for (const auto& d : dead_holders)
    out += "锁 '" + d.lock + "' 被已死亡的进程 " + d.name + "（" + std::to_string(d.pid) +
           "）持有：" + std::to_string(d.waiters.size()) + " 个等待者将永远等下去。";
  if (deadlock) out += "死锁：所有存活的进程都在阻塞，没有谁能唤醒别人。";
  return out;
}

}  // namespace mpviz
