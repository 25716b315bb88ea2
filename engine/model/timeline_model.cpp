#include "engine/model/timeline_model.hpp"

#include <algorithm>
#include <deque>
#include <map>

namespace mpviz {

const char* span_name(SpanKind k) {
  switch (k) {
    case SpanKind::Sleep: return "sleeping";
    case SpanKind::WaitLock: return "waiting on lock";
    case SpanKind::HoldLock: return "holding lock";
    case SpanKind::WaitSemaphore: return "waiting on semaphore";
    case SpanKind::WaitPut: return "waiting to put";
    case SpanKind::WaitGet: return "waiting to get";
    case SpanKind::WaitRecv: return "waiting in recv";
    case SpanKind::Join: return "joining";
    case SpanKind::PoolTask: return "running task";
  }
  return "?";
}

std::string value_key(const Event& e) {
  if (!(e.flags & kFlagIndexed)) return e.name;
  return e.name + "[" + std::to_string(e.other) + "]";
}

std::string value_text(const Event& e) {
  if (e.flags & kFlagValueText) return e.text;
  if (e.flags & kFlagValueReal) {
    char b[32];
    std::snprintf(b, sizeof b, "%g", e.seconds);
    return b;
  }
  return std::to_string(e.value);
}

namespace {

// Open spans, keyed by (pid, slot): one wait and one hold per process at a time
// per object is all the runtime can produce.
struct OpenKey {
  int32_t pid;
  SpanKind kind;
  std::string obj;
  bool operator<(const OpenKey& o) const {
    return std::tie(pid, kind, obj) < std::tie(o.pid, o.kind, o.obj);
  }
};

class Builder {
 public:
  TimelineModel m;

  void open(int32_t pid, SpanKind k, int64_t t, std::string obj, std::string detail = {}) {
    Span s;
    s.pid = pid;
    s.kind = k;
    s.begin = t;
    s.obj = obj;
    s.detail = std::move(detail);
    open_[OpenKey{pid, k, std::move(obj)}] = s;
  }
  void close(int32_t pid, SpanKind k, int64_t t, const std::string& obj, const std::string& extra = {}) {
    auto it = open_.find(OpenKey{pid, k, obj});
    if (it == open_.end()) return;
    Span s = std::move(it->second);
    open_.erase(it);
    s.end = t;
    if (!extra.empty()) s.detail += (s.detail.empty() ? "" : ", ") + extra;
    m.spans.push_back(std::move(s));
  }
  // A wait of `pid` on any object of kind k ends (e.g. op_timeout has the name only).
  void close_any(int32_t pid, const std::string& obj, int64_t t, const std::string& extra) {
    for (auto k : {SpanKind::WaitLock, SpanKind::WaitSemaphore, SpanKind::WaitPut,
                   SpanKind::WaitGet, SpanKind::WaitRecv})
      close(pid, k, t, obj, extra);
  }
  void close_all_of(int32_t pid, int64_t t) {
    for (auto it = open_.begin(); it != open_.end();) {
      if (it->first.pid == pid && it->second.kind != SpanKind::HoldLock) {
        Span s = std::move(it->second);
        s.end = t;
        m.spans.push_back(std::move(s));
        it = open_.erase(it);
      } else {
        ++it;
      }
    }
  }
  void finish(int64_t t_end) {
    for (auto& [k, s] : open_) {
      s.end = t_end;
      s.open = true;
      m.spans.push_back(std::move(s));
    }
    open_.clear();
    // Stable by begin. Sorting indices and moving each span once is much
    // cheaper than stable_sort moving the spans (two strings each) log n times.
    auto by_begin = [](const Span& a, const Span& b) { return a.begin < b.begin; };
    if (std::is_sorted(m.spans.begin(), m.spans.end(), by_begin)) return;
    std::vector<uint32_t> order(m.spans.size());
    for (uint32_t i = 0; i < order.size(); ++i) order[i] = i;
    std::stable_sort(order.begin(), order.end(),
                     [&](uint32_t a, uint32_t b) { return m.spans[a].begin < m.spans[b].begin; });
    std::vector<Span> sorted;
    sorted.reserve(m.spans.size());
    for (uint32_t i : order) sorted.push_back(std::move(m.spans[i]));
    m.spans = std::move(sorted);
  }

  std::map<OpenKey, Span> open_;
  // FIFO of sends per (pipe, receiving end): duplex ends 0 <-> 1.
  std::map<std::pair<std::string, int>, std::deque<const Event*>> pipe_sends;
  std::map<std::string, std::deque<const Event*>> queue_puts;
  std::map<std::string, const Event*> last_sem_release;
  std::map<std::pair<int32_t, std::string>, bool> sem_blocked;  // wait saw value 0
  std::map<int32_t, size_t> life_index;
  std::map<std::string, const Event*> last_write;  // per value_key
};

}  // namespace

TimelineModel build_timeline(const std::vector<Event>& events) {
  Builder b;
  auto& m = b.m;
  for (const auto& e : events) {
    m.t_end = std::max(m.t_end, e.t_ns);
    switch (e.kind) {
      case EventKind::process_start: {
        ProcessLife p;
        p.pid = e.pid;
        p.ppid = e.other;
        p.name = e.name;
        p.daemon = e.flags & kFlagDaemon;
        p.spawn = e.flags & kFlagSpawn;
        p.t_start = e.t_ns;
        b.life_index[e.pid] = m.processes.size();
        m.processes.push_back(std::move(p));
        break;
      }
      case EventKind::process_exit:
      case EventKind::process_killed: {
        auto it = b.life_index.find(e.pid);
        if (it != b.life_index.end()) {
          auto& p = m.processes[it->second];
          p.t_end = e.t_ns;
          p.killed = e.kind == EventKind::process_killed;
          p.code_or_signal = e.value;
          p.killed_by = e.text;
        }
        b.close_all_of(e.pid, e.t_ns);
        break;
      }
      case EventKind::sleep_begin: {
        char d[48];
        std::snprintf(d, sizeof d, "sleep(%g)", e.seconds);
        b.open(e.pid, SpanKind::Sleep, e.t_ns, "", d);
        break;
      }
      case EventKind::sleep_end: b.close(e.pid, SpanKind::Sleep, e.t_ns, ""); break;
      case EventKind::join_begin:
        b.open(e.pid, SpanKind::Join, e.t_ns, std::to_string(e.other));
        break;
      case EventKind::join_end:
        b.close(e.pid, SpanKind::Join, e.t_ns, std::to_string(e.other),
                (e.flags & kFlagTimedOut) ? "timed out" : "");
        break;
      case EventKind::lock_wait: b.open(e.pid, SpanKind::WaitLock, e.t_ns, e.name); break;
      case EventKind::lock_acquire:
        b.close(e.pid, SpanKind::WaitLock, e.t_ns, e.name);
        b.open(e.pid, SpanKind::HoldLock, e.t_ns, e.name);
        break;
      case EventKind::lock_release: b.close(e.pid, SpanKind::HoldLock, e.t_ns, e.name); break;
      case EventKind::sem_wait:
        b.open(e.pid, SpanKind::WaitSemaphore, e.t_ns, e.name);
        b.sem_blocked[{e.pid, e.name}] = e.value == 0;
        m.semaphores[e.name];  // known even before its first change
        break;
      case EventKind::sem_acquire: {
        b.close(e.pid, SpanKind::WaitSemaphore, e.t_ns, e.name);
        m.semaphores[e.name].push_back({e.t_ns, e.value});
        auto rel = b.last_sem_release.find(e.name);
        if (b.sem_blocked[{e.pid, e.name}] && rel != b.last_sem_release.end() && rel->second->pid != e.pid)
          m.flows.push_back({FlowKind::Semaphore, rel->second->pid, e.pid, rel->second->t_ns, e.t_ns,
                             e.name, ""});
        break;
      }
      case EventKind::sem_release:
        m.semaphores[e.name].push_back({e.t_ns, e.value});
        b.last_sem_release[e.name] = &e;
        break;
      case EventKind::queue_put_wait: b.open(e.pid, SpanKind::WaitPut, e.t_ns, e.name); break;
      case EventKind::queue_put:
        b.close(e.pid, SpanKind::WaitPut, e.t_ns, e.name);
        m.queues[e.name].push_back({e.t_ns, e.value});
        m.queue_maxsize[e.name] = e.limit;
        b.queue_puts[e.name].push_back(&e);
        break;
      case EventKind::queue_get_wait: b.open(e.pid, SpanKind::WaitGet, e.t_ns, e.name); break;
      case EventKind::queue_get: {
        b.close(e.pid, SpanKind::WaitGet, e.t_ns, e.name);
        m.queues[e.name].push_back({e.t_ns, e.value});
        m.queue_maxsize[e.name] = e.limit;
        auto& q = b.queue_puts[e.name];
        if (!q.empty()) {
          const Event* put = q.front();
          q.pop_front();
          m.flows.push_back({FlowKind::Queue, put->pid, e.pid, put->t_ns, e.t_ns, e.name, e.text});
        }
        break;
      }
      case EventKind::pipe_send: {
        // Duplex: what end 0 sends, end 1 receives, and the other way round.
        int to_end = e.other == 0 ? 1 : 0;
        b.pipe_sends[{e.name, to_end}].push_back(&e);
        break;
      }
      case EventKind::pipe_recv_wait: b.open(e.pid, SpanKind::WaitRecv, e.t_ns, e.name); break;
      case EventKind::pipe_recv: {
        b.close(e.pid, SpanKind::WaitRecv, e.t_ns, e.name);
        auto& q = b.pipe_sends[{e.name, static_cast<int>(e.other)}];
        if (!q.empty()) {
          const Event* s = q.front();
          q.pop_front();
          m.flows.push_back({FlowKind::Pipe, s->pid, e.pid, s->t_ns, e.t_ns, e.name, e.text});
        }
        break;
      }
      case EventKind::pool_task_begin:
        b.open(e.pid, SpanKind::PoolTask, e.t_ns, e.name, "task " + std::to_string(e.other));
        break;
      case EventKind::pool_task_end: b.close(e.pid, SpanKind::PoolTask, e.t_ns, e.name); break;
      case EventKind::op_timeout: b.close_any(e.pid, e.name, e.t_ns, "timed out"); break;
      case EventKind::value_read: m.values[value_key(e)]; break;  // known from its first read
      case EventKind::value_write: {
        std::string key = value_key(e);
        int64_t v = (e.flags & kFlagValueReal) ? static_cast<int64_t>(e.seconds) : e.value;
        m.values[key].push_back({e.t_ns, v});
        if (e.flags & kFlagLost) {
          LostUpdate u{e.pid, e.t_ns, key, value_text(e), 0, ""};
          auto prev = b.last_write.find(key);
          if (prev != b.last_write.end()) {
            u.over_pid = prev->second->pid;
            u.over_value = value_text(*prev->second);
          }
          m.lost_updates.push_back(std::move(u));
        }
        b.last_write[key] = &e;
        break;
      }
      default: break;
    }
  }
  b.finish(m.t_end);
  return std::move(b.m);
}

}  // namespace mpviz
