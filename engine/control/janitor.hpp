// The run's janitor, in the spirit of CPython's resource_tracker: a tiny
// process (`mpviz __janitor PGID`) that outlives the engine. It reads its
// stdin, a pipe whose only writer is the engine. "done" means the run ended
// cleanly; end-of-file without it means the engine died (even by SIGKILL),
// and the janitor kills the run's whole process group so nothing is orphaned.
#pragma once
#include <sys/types.h>

#include <string>
#include <vector>

namespace mpviz {

inline constexpr const char* kJanitorArg = "__janitor";

// In the engine: start the janitor for process group `pgid`; returns its pid
// (or -1) and the write end of its pipe through `fd`.
pid_t start_janitor(const char* exe, pid_t pgid, int& fd);
// In the engine: the run is over; the janitor exits without killing. Reaps it.
void dismiss_janitor(pid_t janitor, int fd);
// The janitor itself.
[[noreturn]] void janitor_main(pid_t pgid);

// Python mode: the names in /dev/shm that CPython's multiprocessing made for
// the run (semaphores "sem.mp-*", SharedMemory "psm_*") and that a process of
// group `pgid` has mapped. Its resource tracker would unlink them, but it is
// a process of the run and dies with it when the run is SIGKILLed.
std::vector<std::string> cpython_shm_names_of_group(pid_t pgid);
// Unlinks those that still exist.
void unlink_shm_names(const std::vector<std::string>& names);

}  // namespace mpviz
