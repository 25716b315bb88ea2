#include "app/text_timeline.hpp"

#include <algorithm>
#include <cstdio>

#include "engine/model/event_log.hpp"
#include "engine/model/timeline_model.hpp"

namespace mpviz::cli {

namespace {
const char* kPalette[] = {"\033[36m", "\033[33m", "\033[35m", "\033[32m",
                          "\033[34m", "\033[91m", "\033[96m", "\033[93m"};
const char* kReset = "\033[0m";

std::string fmt_seconds(double s) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", s);
  return buf;
}
}  // namespace

std::string TextTimeline::name_of(int32_t pid) const {
  auto it = names_.find(pid);
  return it == names_.end() ? "?" : it->second;
}

std::string TextTimeline::who(int32_t pid) {
  auto it = names_.find(pid);
  std::string name = it == names_.end() ? "?" : it->second;
  char buf[64];
  std::snprintf(buf, sizeof buf, "%6d %-14s", pid, name.c_str());
  if (!colour_) return buf;
  auto c = colours_.find(pid);
  int idx = c == colours_.end() ? 0 : c->second;
  return std::string(kPalette[idx % 8]) + buf + kReset;
}

std::string TextTimeline::describe(const Event& e) {
  switch (e.kind) {
    case EventKind::process_start:
      return "started by " + std::to_string(e.other) + ((e.flags & kFlagDaemon) ? " (daemon)" : "") +
             ((e.flags & kFlagSpawn) ? " [spawn]" : " [fork]");
    case EventKind::process_exit: return "exited with code " + std::to_string(e.value);
    case EventKind::process_killed:
      return "killed by signal " + std::to_string(e.value) + " (" + e.text + ")";
    case EventKind::join_begin:
      return "join(" + std::to_string(e.other) +
             ((e.flags & kFlagHasTimeout) ? ", timeout=" + fmt_seconds(e.seconds) : "") + ")";
    case EventKind::join_end:
      return "join(" + std::to_string(e.other) + ") " +
             ((e.flags & kFlagTimedOut) ? "timed out" : "returned");
    case EventKind::sleep_begin: return "sleep(" + fmt_seconds(e.seconds) + ")";
    case EventKind::sleep_end: return "woke up";
    case EventKind::print:
      return std::string((e.flags & kFlagStderr) ? "stderr " : "print  ") + std::string(print_line(e.text));
    case EventKind::lock_wait: return "waits for " + e.name;
    case EventKind::lock_acquire: return "acquired " + e.name;
    case EventKind::lock_release: return "released " + e.name;
    case EventKind::sem_wait: return "waits on " + e.name;
    case EventKind::sem_acquire: return "acquired " + e.name + " -> " + std::to_string(e.value);
    case EventKind::sem_release: return "released " + e.name + " -> " + std::to_string(e.value);
    case EventKind::queue_put_wait: return "put(" + e.text + ") on " + e.name + " ...";
    case EventKind::queue_put:
      return "put(" + e.text + ") on " + e.name + ", size " + std::to_string(e.value);
    case EventKind::queue_get_wait: return "get() on " + e.name + " ...";
    case EventKind::queue_get:
      return "got " + e.text + " from " + e.name + ", size " + std::to_string(e.value);
    case EventKind::pipe_send: return "send(" + e.text + ") on " + e.name;
    case EventKind::pipe_recv_wait: return "recv() on " + e.name + " ...";
    case EventKind::pipe_recv: return "received " + e.text + " on " + e.name;
    case EventKind::pool_submit: return "submits task " + std::to_string(e.other) + " " + e.name;
    case EventKind::pool_task_begin: return "runs task " + std::to_string(e.other) + " " + e.name;
    case EventKind::pool_task_end: return "finished task " + std::to_string(e.other);
    case EventKind::run_end:
      return "run " + e.text + (e.name.empty() ? std::string() : " at the limit " + e.name) +
             (e.value ? " (" + std::to_string(e.value) + " frames dropped)" : std::string());
    case EventKind::op_timeout: return (e.text.empty() ? "timed out on " : e.text + "() failed on ") + e.name;
    case EventKind::terminate:
      return (e.value == 9 ? "kill(" : "terminate(") + std::to_string(e.other) + ")";
    case EventKind::value_read: return "reads " + value_key(e) + " -> " + value_text(e);
    case EventKind::value_write:
      return "writes " + value_key(e) + " = " + value_text(e) + ((e.flags & kFlagLost) ? "  LOST UPDATE" : "");
  }
  return std::string(kind_name(e.kind));
}

std::string TextTimeline::line(const Event& e) {
  if (e.kind == EventKind::process_start) {
    names_[e.pid] = e.name;
    if (!colours_.count(e.pid)) colours_[e.pid] = static_cast<int>(colours_.size());
  }
  char t[32];
  std::snprintf(t, sizeof t, "%9.3fs ", static_cast<double>(e.t_ns) / 1e9);
  if (e.kind == EventKind::run_end) return std::string(t) + "  " + describe(e);
  return std::string(t) + who(e.pid) + " " + describe(e);
}

}  // namespace mpviz::cli

namespace mpviz::cli {

void ReorderBuffer::push(const std::vector<Event>& evs) {
  held_.insert(held_.end(), evs.begin(), evs.end());
}

std::vector<Event> ReorderBuffer::take_until(int64_t horizon) {
  sort_by_time(held_);
  auto it = std::find_if(held_.begin(), held_.end(),
                         [&](const Event& e) { return e.t_ns > horizon; });
  std::vector<Event> out(held_.begin(), it);
  held_.erase(held_.begin(), it);
  return out;
}

std::vector<Event> ReorderBuffer::take_all() {
  sort_by_time(held_);
  std::vector<Event> out;
  out.swap(held_);
  return out;
}

}  // namespace mpviz::cli
