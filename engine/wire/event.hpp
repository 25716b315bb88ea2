// One traced operation of one real process: the unit that flows from the
// children through the event pipe into the model and out to recordings.
// Fields are generic so the wire codec stays one small piece of code; the
// recording (jsonl.cpp) gives each field its contract name per kind.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace mpviz {

enum class EventKind : uint8_t {
  process_start = 1,
  process_exit,
  process_killed,
  join_begin,
  join_end,
  sleep_begin,
  sleep_end,
  print,
  lock_wait,
  lock_acquire,
  lock_release,
  sem_wait,
  sem_acquire,
  sem_release,
  queue_put_wait,
  queue_put,
  queue_get_wait,
  queue_get,
  pipe_send,
  pipe_recv_wait,
  pipe_recv,
  pool_submit,
  pool_task_begin,
  pool_task_end,
  run_end,
  // Added kinds (the contract allows more): an operation that timed out or
  // failed without blocking (acquire(False), get with timeout).
  op_timeout,
  // A parent called terminate()/kill() on a child (Python mode): other =
  // target pid, value = signal. The end itself is process_killed.
  terminate,

  // Shared state (design.md Additions): one read or write of a Value or an
  // Array element. name = obj; the value is `value` (an integer), `seconds`
  // (kFlagValueReal) or `text` (kFlagValueText); `other` is the index
  // (kFlagIndexed); value_write: kFlagLost.
  value_read,
  value_write,
};
inline constexpr int kEventKindCount = static_cast<int>(EventKind::value_write);

std::string_view kind_name(EventKind k);
std::optional<EventKind> kind_from_name(std::string_view s);

// Flag bits in Event::flags.
enum EventFlags : uint8_t {
  kFlagDaemon = 1 << 0,    // process_start: daemon=True
  kFlagTimedOut = 1 << 1,  // join_end: timed_out
  kFlagSpawn = 1 << 2,     // process_start: started with method "spawn"
  kFlagHasTimeout = 1 << 3, // join_begin: timeout_s is a number (else null)
  kFlagReaped = 1 << 4,     // process_exit/killed observed by the reaper
  kFlagForkserver = 1 << 5, // process_start: started with method "forkserver" (Python mode)
  kFlagStderr = 1 << 6,     // print: written to stderr (recording: "stream":"stderr")
  // value_read / value_write only (bits reused per kind):
  kFlagValueReal = 1 << 0,  // the value is a float, in `seconds`
  kFlagValueText = 1 << 1,  // the value is not a number, in `text`
  kFlagLost = 1 << 6,       // value_write: lost (design.md)
  kFlagIndexed = 1 << 7,    // an Array element: `other` is the index
};

struct Event {
  int64_t t_ns = 0;   // CLOCK_MONOTONIC on the wire; since run start in the model
  int32_t pid = 0;    // real OS pid of the process the event is about
  EventKind kind = EventKind::print;
  uint8_t flags = 0;
  int32_t other = 0;  // ppid (process_start), target (join_*), task (pool_*), end (pipe_*)
  int64_t value = 0;  // code, signal, sem value, queue size, dropped frames
  int64_t limit = 0;  // queue maxsize (0: unbounded)
  double seconds = 0; // sleep seconds, join timeout (scenario seconds)
  int32_t line = 0;   // source line of the operation (Python mode), 0 if unknown
  std::string name;   // obj, process name, pool func
  std::string text;   // print text, item, killed "by", run_end status, op_timeout op

  bool operator==(const Event&) const = default;
};

// An event whose strings point into someone else's buffer (the event pipe
// decoder's): what the supervisor's reader handles, so that no event costs
// a std::string on its way from the pipe into the EventLog.
struct EventView {
  int64_t t_ns = 0;
  int32_t pid = 0;
  EventKind kind = EventKind::print;
  uint8_t flags = 0;
  int32_t other = 0;
  int64_t value = 0;
  int64_t limit = 0;
  double seconds = 0;
  int32_t line = 0;
  std::string_view name;
  std::string_view text;

  EventView() = default;
  explicit EventView(const Event& e);  // views e's strings
  Event to_event() const;
};

// A print event's text as one line for display: a Python print carries
// exactly what was written, its final newline included.
inline std::string_view print_line(std::string_view text) {
  if (!text.empty() && text.back() == '\n') text.remove_suffix(1);
  return text;
}

// Small constructors used by the runtime and the supervisor.
Event make_event(EventKind kind, int32_t pid, int64_t t_ns);

}  // namespace mpviz
