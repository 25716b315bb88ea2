#include "engine/wire/event.hpp"

#include <array>

namespace mpviz {
namespace {
constexpr std::array<std::string_view, kEventKindCount + 1> kNames = {
    "",           "process_start", "process_exit",  "process_killed",
    "join_begin", "join_end",      "sleep_begin",   "sleep_end",
    "print",      "lock_wait",     "lock_acquire",  "lock_release",
    "sem_wait",   "sem_acquire",   "sem_release",   "queue_put_wait",
    "queue_put",  "queue_get_wait", "queue_get",    "pipe_send",
    "pipe_recv_wait", "pipe_recv", "pool_submit",   "pool_task_begin",
    "pool_task_end",  "run_end",   "op_timeout",    "terminate",
    "value_read",     "value_write",
};
}  // namespace

std::string_view kind_name(EventKind k) {
  auto i = static_cast<size_t>(k);
  return i < kNames.size() ? kNames[i] : std::string_view("unknown");
}

std::optional<EventKind> kind_from_name(std::string_view s) {
  for (size_t i = 1; i < kNames.size(); ++i)
    if (kNames[i] == s) return static_cast<EventKind>(i);
  return std::nullopt;
}

Event make_event(EventKind kind, int32_t pid, int64_t t_ns) {
  Event e;
  e.kind = kind;
  e.pid = pid;
  e.t_ns = t_ns;
  return e;
}

EventView::EventView(const Event& e)
    : t_ns(e.t_ns), pid(e.pid), kind(e.kind), flags(e.flags), other(e.other), value(e.value),
      limit(e.limit), seconds(e.seconds), line(e.line), name(e.name), text(e.text) {}

Event EventView::to_event() const {
  Event e;
  e.t_ns = t_ns;
  e.pid = pid;
  e.kind = kind;
  e.flags = flags;
  e.other = other;
  e.value = value;
  e.limit = limit;
  e.seconds = seconds;
  e.line = line;
  e.name = name;
  e.text = text;
  return e;
}

}  // namespace mpviz
