// Sees every process of a run die, even one nobody reaps. A child killed
// while its parent is blocked elsewhere stays a zombie until the parent
// joins it — maybe never (its parent may wait forever for the lock the dead
// child held). The supervisor watches each process with a pidfd, and when
// one dies and no end has been reported for it after a short grace, it reads
// the zombie's wait status from /proc/PID/stat (exit_code, field 52) without
// reaping it, and reports the end itself.
#pragma once
#include <cstdint>
#include <map>
#include <sys/types.h>
#include <vector>

#include "engine/wire/event.hpp"

namespace mpviz {

class DeathWatch {
 public:
  ~DeathWatch();
  void watch(pid_t pid);
  // pidfds still to poll (POLLIN = the process has died).
  void poll_fds(std::vector<int>& fds) const;
  void mark_dead(int fd, int64_t now_ns);
  // Ends for processes dead for longer than the grace and not yet reported
  // (has_ended says whether the log already has an end for a pid).
  template <typename HasEnded>
  std::vector<Event> collect(int64_t now_ns, HasEnded has_ended);

  static constexpr int64_t kGraceNs = 100'000'000;
  // Wait status of a zombie, from /proc; -1 if gone (already reaped).
  static int zombie_status(pid_t pid);

 private:
  struct Watched {
    pid_t pid;
    int64_t dead_since = 0;
  };
  static void close_fd(int fd);
  std::map<int, Watched> by_fd_;
};

template <typename HasEnded>
std::vector<Event> DeathWatch::collect(int64_t now_ns, HasEnded has_ended) {
  std::vector<Event> out;
  for (auto it = by_fd_.begin(); it != by_fd_.end();) {
    const Watched& w = it->second;
    if (w.dead_since == 0 || now_ns - w.dead_since < kGraceNs) {
      ++it;
      continue;
    }
    if (!has_ended(w.pid)) {
      int st = zombie_status(w.pid);
      if (st < 0) {
        // Reaped by a parent that died before it could report (a stop kills
        // everyone at once): the status is gone. Say what is known.
        Event e = make_event(EventKind::process_killed, w.pid, w.dead_since);
        e.flags = kFlagReaped;
        e.text = "unreported";
        out.push_back(std::move(e));
      } else {
        Event e = make_event(EventKind::process_exit, w.pid, w.dead_since);
        e.flags = kFlagReaped;
        if ((st & 0x7f) == 0) {
          e.value = (st >> 8) & 0xff;
        } else {
          e.kind = EventKind::process_killed;
          e.value = st & 0x7f;
          e.text = "signal";
        }
        out.push_back(std::move(e));
      }
    }
    close_fd(it->first);
    it = by_fd_.erase(it);
  }
  return out;
}

}  // namespace mpviz
