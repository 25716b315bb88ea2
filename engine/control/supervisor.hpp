// The parent side of a run. Starts the scenario's main process (a fresh exec
// of the mpviz binary, in its own process group), is the child subreaper of
// everything the run starts, reaps with waitid and records what a dead
// process cannot say for itself, reads the event pipe on its own thread into
// an EventLog, and stops a run with SIGTERM, a grace period, then SIGKILL.
#pragma once
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <system_error>
#include <thread>

#include "engine/model/event_log.hpp"
#include "engine/scenario/params.hpp"
#include "engine/runtime/process_runtime.hpp"
#include "engine/control/step_control.hpp"
#include "engine/wire/wire_codec.hpp"

namespace mpviz {

// Limits on one run (0: none). Crossing one stops the run (the stop ladder,
// with a short grace) and run_end names it: status "stopped", limit NAME.
struct RunLimits {
  int max_processes = 0;         // processes of the run alive at once, main not counted
  int64_t max_memory_bytes = 0;  // resident memory of the run's processes, summed
  int64_t max_output_bytes = 0;  // bytes the run's processes printed (print events' text)
};

// Which limit stopped a run: the recording's name for it and a one-line
// message for the user (what crossed it, and the option that sets it).
struct LimitHit {
  std::string limit;    // "max_processes" / "max_memory" / "max_output"
  std::string message;
};

// Defaults of `mpviz run` and the window: 64 processes, a quarter of the
// machine's RAM, 64 MB of output.
RunLimits default_run_limits();
int64_t physical_memory_bytes();

struct RunRequest {
  std::string scenario;
  rt::StartMethod method = rt::StartMethod::Fork;
  double speed = 1.0;
  ParamValues params;
  std::string exe;  // binary with the hidden scenario entry points
  bool start_held = false;  // step mode: hold every process before its first operation
  bool trace = true;        // benchmarks only: run without emitting events
  // Python mode: run this program under python_exe with the tracer in
  // python_path (PYTHONPATH); `scenario` is then only a label. The tracer
  // looks for its C extension in python_ext_dir (MPVIZ_TRACER_EXT_DIR).
  std::string python_program = {}, python_path = {};
  std::string python_exe = "/usr/bin/python3", python_ext_dir = {};
  bool method_given = true;  // Python mode: false keeps the program's own default
  bool forkserver = false;   // Python mode: CPython's third start method instead of `method`
  RunLimits limits = {};     // none unless asked (the CLI and the window ask for the defaults)
  // Python mode: the program's stdout is this process's stdout (byte for
  // byte, as without mpviz) instead of /dev/null; its `print` events are
  // recorded either way. stderr is always inherited.
  bool pass_stdout = false;
};

enum class RunStatus { Idle, Running, Finished, Stopped, Failed };
const char* status_name(RunStatus s);

class Supervisor {
 public:
  explicit Supervisor(EventLog& log);
  ~Supervisor();  // stops a live run and reaps everything
  Supervisor(const Supervisor&) = delete;
  Supervisor& operator=(const Supervisor&) = delete;

  std::error_code start(const RunRequest& req);
  // SIGTERM to the group, up to `grace` for it to go, then SIGKILL; returns
  // when every process of the run is reaped.
  void stop(std::chrono::milliseconds grace = std::chrono::milliseconds(300));
  // The same, without blocking the caller (a GUI frame): the ladder runs on
  // a thread of its own; done() tells when it is over.
  void request_stop();
  // Waits until the run is over (all reaped, pipe drained); false on timeout.
  bool wait(std::chrono::milliseconds timeout);
  bool done() const;
  RunStatus status() const;
  pid_t main_pid() const { return main_pid_; }
  int main_exit_code() const { return main_code_; }
  // Stop time relative to run start, if stop() was called.
  std::optional<int64_t> stop_time() const;
  wire::DecoderStats decoder_stats() const;
  // Now, in the run's time base (nanoseconds since the run started).
  int64_t rel_now() const;
  // Step mode: hold, step, run free (usable from any thread; never blocks).
  StepControl& steps() { return steps_; }
  // Teacher controls. kill_process only signals processes of this run; their
  // death is recorded with by: "user". Returns false for a pid not in the run.
  bool kill_process(pid_t pid, int sig);
  void set_speed(double speed) { steps_.set_speed(speed); }
  // Set once a limit has stopped (or is stopping) the run.
  std::optional<LimitHit> limit_hit() const;

 private:
  void reader_loop();
  void waiter_loop();
  void finish_if_complete();
  // Reader thread: checks the limits, starts the stop when one is crossed.
  void limit_crossed(const char* limit, std::string message);
  void check_process_limit();
  void sample_group_usage();

  EventLog& log_;
  StepControl steps_;
  int64_t t0_ = 0;
  pid_t main_pid_ = 0;
  pid_t janitor_pid_ = -1;
  int janitor_fd_ = -1;
  int read_fd_ = -1;
  std::thread reader_, waiter_, stopper_;
  std::atomic<bool> stopping_{false};
  std::map<int32_t, int> user_killed_;  // pid -> signal the user sent; guarded by mu_
  std::atomic<int64_t> stop_t_{-1};
  int main_code_ = 0;
  bool main_killed_ = false;

  mutable std::mutex mu_;
  std::condition_variable cv_;
  bool reader_done_ = false, waiter_done_ = false, finished_ = false;
  RunStatus status_ = RunStatus::Idle;
  wire::DecoderStats stats_;

  RunLimits limits_;
  std::set<int32_t> started_;    // reader thread: traced starts not known to have ended
  int64_t output_bytes_ = 0;     // reader thread
  int64_t next_sample_ns_ = 0;   // reader thread
  std::atomic<bool> limit_stopping_{false};
  std::optional<LimitHit> limit_hit_;  // guarded by mu_
  std::thread limit_stopper_;          // started by the reader thread only
};

}  // namespace mpviz
