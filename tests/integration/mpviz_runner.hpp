// Runs the real mpviz binary as a test would from a shell, and checks that a
// run left nothing behind.
#pragma once
#include <chrono>
#include <set>
#include <thread>
#include <string>
#include <vector>

#include "engine/model/event_log.hpp"
#include "engine/control/supervisor.hpp"
#include "engine/recording/recording.hpp"

namespace mpviz::test {

struct CommandResult {
  int exit_code = -1;  // -signal if killed
  int pid = 0;         // the mpviz process that ran
  bool timed_out = false;
  std::string out, err;
};

std::string mpviz_exe();  // path of the binary under test (compile definition)

// Runs `mpviz args...`, feeding `input` on stdin; kills it after timeout_s.
CommandResult run_mpviz(const std::vector<std::string>& args, double timeout_s = 60,
                        const std::string& input = "");

// The same for any program (argv[0] is its path).
CommandResult run_command(const std::vector<std::string>& argv, double timeout_s = 60,
                          const std::string& input = "");

// Runs a scenario with --jsonl - and parses the recording (asserts on failure).
struct RunResult {
  CommandResult cmd;
  Recording rec;
};
RunResult run_recorded(const std::vector<std::string>& args, double timeout_s = 60);

// Names in /dev/shm right now.
std::set<std::string> shm_entries();
// Pids of live processes in process group `pgid` (a run's main pid).
std::vector<int> processes_in_group(int pgid);
// The same, without zombies (an orphan's zombie is init's to reap, not ours).
std::vector<int> live_processes_in_group(int pgid);
// Zombie children of this test process.
int zombie_children();
// Reaps the zombie children there are right now (only those: never a child
// someone may still be waiting for); returns how many.
int reap_zombie_children();
// Is there a process with this pid right now (not a zombie)?
bool process_alive(int pid);

// Helpers over a recording.
std::vector<const Event*> of_kind(const Recording& r, EventKind k);
int main_pid(const Recording& r);
std::vector<std::string> prints(const Recording& r);  // texts without their final newline
std::vector<const Event*> children_of(const Recording& r, int ppid);
const Event* end_of(const Recording& r, int pid);  // process_exit / process_killed

// Polls `p` until it holds or `limit` passes; returns its last value.
template <typename Pred>
bool eventually(Pred p, std::chrono::milliseconds limit = std::chrono::milliseconds(5000)) {
  auto end = std::chrono::steady_clock::now() + limit;
  while (std::chrono::steady_clock::now() < end) {
    if (p()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  return p();
}

// The main process and the children it started itself, polled from a live
// run's log until there are `n` in all (fewer if that does not happen).
std::vector<int> wait_for_run_pids(const EventLog& log, int main_pid, size_t n);

// Starts the lock scenario with two children that keep running (1000 loops)
// and returns main's and the children's pids once all three exist and
// spawned children have exec'd (empty if the start failed).
std::vector<int> start_two_child_lock_run(Supervisor& sup, const EventLog& log,
                                          rt::StartMethod method);

}  // namespace mpviz::test
