#include "engine/model/event_log.hpp"

#include <algorithm>

namespace mpviz {

bool EventLog::accept(EventKind kind, int32_t pid, int64_t t_ns) {
  if (kind == EventKind::process_start) {
    // A reused pid is a new process; a start older than the recorded end is
    // the same process reported late.
    auto it = ended_.find(pid);
    if (it != ended_.end() && it->second < t_ns) ended_.erase(it);
    return true;
  }
  if (kind == EventKind::process_exit || kind == EventKind::process_killed)
    return ended_.emplace(pid, t_ns).second;
  return true;
}

void EventLog::append(std::span<const Event> evs) {
  if (evs.empty()) return;
  std::lock_guard lk(mu_);
  for (const auto& e : evs)
    if (accept(e.kind, e.pid, e.t_ns)) events_.push(e);
  count_.store(events_.size(), std::memory_order_release);
}

void EventLog::append(const Event& e) {
  std::lock_guard lk(mu_);
  if (accept(e.kind, e.pid, e.t_ns)) events_.push(e);
  count_.store(events_.size(), std::memory_order_release);
}

void EventLog::append(std::span<const EventView> evs) {
  if (evs.empty()) return;
  std::lock_guard lk(mu_);
  for (const auto& e : evs)
    if (accept(e.kind, e.pid, e.t_ns)) events_.push(e);
  count_.store(events_.size(), std::memory_order_release);
}

size_t EventLog::size() const {
  std::lock_guard lk(mu_);
  return events_.size();
}

size_t EventLog::copy_since(size_t from, std::vector<Event>& out) const {
  std::lock_guard lk(mu_);
  events_.unpack_range(from, out);
  return events_.size();
}

bool EventLog::has_ended(int32_t pid) const {
  std::lock_guard lk(mu_);
  return ended_.count(pid) > 0;
}

std::vector<Event> EventLog::snapshot() const {
  std::lock_guard lk(mu_);
  std::vector<Event> out;
  events_.unpack_range(0, out);
  return out;
}

size_t EventLog::bytes_used() const {
  std::lock_guard lk(mu_);
  return events_.bytes_used();
}

void sort_by_time(std::vector<Event>& evs) {
  auto by_time = [](const Event& a, const Event& b) { return a.t_ns < b.t_ns; };
  if (std::is_sorted(evs.begin(), evs.end(), by_time)) return;
  // Sort (time, index) keys, then move each event once: a merge sort of the
  // events themselves moves two strings per event per pass (a third of the
  // CLI's time after a 600k-event run, per perf).
  std::vector<std::pair<int64_t, uint32_t>> keys(evs.size());
  for (size_t i = 0; i < evs.size(); ++i) keys[i] = {evs[i].t_ns, static_cast<uint32_t>(i)};
  std::sort(keys.begin(), keys.end());  // the index breaks ties: stable
  std::vector<Event> out;
  out.reserve(evs.size());
  for (const auto& k : keys) out.push_back(std::move(evs[k.second]));
  evs = std::move(out);
}

}  // namespace mpviz
