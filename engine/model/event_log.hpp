// The run's events as they arrive, shared between the supervisor's threads
// (writers) and the CLI/GUI (readers). Append-only; readers copy what is new
// since the index they saw last, so they never hold the lock for long and
// never block on the pipe.
//
// A process's end can be reported twice: by the process itself (its exit
// code, at the exact time) and by whoever reaped it. The log keeps the first
// report that arrives and drops the other, so live readers see one end.
#pragma once
#include <cstdint>
#include <atomic>
#include <mutex>
#include <span>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "engine/wire/event.hpp"
#include "engine/model/packed_events.hpp"

namespace mpviz {

class EventLog {
 public:
  void append(std::span<const Event> evs);
  void append(const Event& e);
  // The supervisor's reader: events straight from the pipe decoder.
  void append(std::span<const EventView> evs);
  size_t size() const;
  // Lock-free: an idle GUI frame checks this and skips the mutex.
  size_t size_relaxed() const { return count_.load(std::memory_order_acquire); }
  // Copies events [from, size()) into out (appending); returns the new size.
  size_t copy_since(size_t from, std::vector<Event>& out) const;
  std::vector<Event> snapshot() const;
  bool has_ended(int32_t pid) const;
  size_t bytes_used() const;

 private:
  bool accept(EventKind kind, int32_t pid, int64_t t_ns);  // with mu_ held
  mutable std::mutex mu_;
  PackedEvents events_;  // 56 bytes an event; grows without moving what it holds
  // pid -> t_ns of its end event. A child's own end can arrive before its
  // parent's process_start (the parent reports after start() returns).
  std::unordered_map<int32_t, int64_t> ended_;
  std::atomic<size_t> count_{0};
};

// Sorts by t_ns, stable (ties keep arrival order): the recording order.
void sort_by_time(std::vector<Event>& evs);

}  // namespace mpviz
