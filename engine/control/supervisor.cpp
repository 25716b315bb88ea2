#include "engine/control/supervisor.hpp"

#include <cerrno>
#include <cinttypes>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <dirent.h>
#include <fcntl.h>
#include <poll.h>
#include <spawn.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

#include "engine/control/death_watch.hpp"
#include "engine/control/janitor.hpp"
#include "engine/wire/clock.hpp"
#include "engine/control/spawn_setup.hpp"
#include "engine/runtime/spawn_child.hpp"

extern char** environ;

namespace mpviz {

const char* status_name(RunStatus s) {
  switch (s) {
    case RunStatus::Idle: return "idle";
    case RunStatus::Running: return "running";
    case RunStatus::Finished: return "finished";
    case RunStatus::Stopped: return "stopped";
    case RunStatus::Failed: return "failed";
  }
  return "?";
}

namespace {
constexpr int kChildEventFd = 3;  // where the main process finds the event pipe
constexpr int kChildGateFd = 4;   // and the step-mode gate table

template <typename E>
bool is_end(const E& e) {
  return e.kind == EventKind::process_exit || e.kind == EventKind::process_killed;
}

constexpr int64_t kMiB = 1024 * 1024;
// How often the reader looks at the run's processes in /proc (memory, and
// processes the tracer does not see, like an os.fork() or CPython's helpers).
constexpr int64_t kSampleEveryNs = 50'000'000;
// Grace of the stop a crossed limit starts: short, a runaway keeps running.
constexpr std::chrono::milliseconds kLimitStopGrace{100};

struct GroupUsage {
  int processes = 0;
  int64_t rss_bytes = 0;
};

// Live (not zombie) processes of group `pgid` and their resident memory,
// from /proc/PID/stat: one read per process on the machine.
GroupUsage group_usage(pid_t pgid) {
  static const int64_t page = sysconf(_SC_PAGESIZE);
  GroupUsage u;
  DIR* d = opendir("/proc");
  if (!d) return u;
  char path[300], buf[1024];  // d_name is at most 255 bytes
  while (dirent* e = readdir(d)) {
    if (e->d_name[0] < '1' || e->d_name[0] > '9') continue;
    std::snprintf(path, sizeof path, "/proc/%s/stat", e->d_name);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) continue;
    ssize_t n = read(fd, buf, sizeof buf - 1);
    close(fd);
    if (n <= 0) continue;
    buf[n] = 0;
    const char* p = std::strrchr(buf, ')');  // the name may hold anything but ends here
    if (!p || p[1] == 0) continue;
    char state = 0;
    long long pgrp = 0, rss = 0;
    // Fields 3 (state), 5 (pgrp) and 24 (rss, in pages): see proc(5).
    if (std::sscanf(p + 2, "%c %*d %lld %*d %*d %*d %*u %*u %*u %*u %*u %*u %*u %*d %*d %*d %*d %*d %*d %*u %*u %lld",
                    &state, &pgrp, &rss) != 3)
      continue;
    if (pgrp != pgid || state == 'Z' || state == 'X') continue;
    ++u.processes;
    u.rss_bytes += rss * page;
  }
  closedir(d);
  return u;
}

std::string megabytes(int64_t bytes) {
  char b[32];
  std::snprintf(b, sizeof b, "%.0f MB", static_cast<double>(bytes) / kMiB);
  return b;
}
}  // namespace

int64_t physical_memory_bytes() {
  long pages = sysconf(_SC_PHYS_PAGES), size = sysconf(_SC_PAGESIZE);
  return pages > 0 && size > 0 ? static_cast<int64_t>(pages) * size : int64_t{4096} * kMiB;
}

RunLimits default_run_limits() {
  RunLimits l;
  l.max_processes = 64;
  l.max_memory_bytes = physical_memory_bytes() / 4 / kMiB * kMiB;
  l.max_output_bytes = 64 * kMiB;
  return l;
}

Supervisor::Supervisor(EventLog& log) : log_(log) {}

Supervisor::~Supervisor() {
  if (stopper_.joinable()) stopper_.join();
  if (main_pid_ > 0 && !done()) stop();
  if (reader_.joinable()) reader_.join();
  if (limit_stopper_.joinable()) limit_stopper_.join();  // only the reader starts it
  if (waiter_.joinable()) waiter_.join();
  if (read_fd_ >= 0) close(read_fd_);
}

int64_t Supervisor::rel_now() const { return rt::now_ns() - t0_; }

std::error_code Supervisor::start(const RunRequest& req) {
  if (main_pid_ != 0) return std::make_error_code(std::errc::operation_in_progress);
  // Orphans of the run (children whose parent died) are re-parented to us,
  // so they can be reaped and their end recorded.
  prctl(PR_SET_CHILD_SUBREAPER, 1);

  if (auto ec = steps_.create(req.start_held, req.speed)) return ec;
  int fds[2];
  if (pipe2(fds, O_CLOEXEC) != 0) return {errno, std::system_category()};
  read_fd_ = fds[0];
  // Copies above the target numbers, so the two dup2s in the child cannot
  // clobber each other's source.
  // Children never block forever on a full pipe (see Emitter::write_frame).
  fcntl(fds[1], F_SETFL, fcntl(fds[1], F_GETFL) | O_NONBLOCK);
  int event_src = fcntl(fds[1], F_DUPFD_CLOEXEC, 10);
  int gate_src = fcntl(steps_.fd(), F_DUPFD_CLOEXEC, 10);
  close(fds[1]);
  if (event_src < 0 || gate_src < 0) return {errno, std::system_category()};

  rt::RunConfig cfg;
  cfg.scenario = req.scenario;
  cfg.method = req.method;
  cfg.speed = req.speed;
  cfg.params = req.params;
  cfg.event_fd = kChildEventFd;
  cfg.gate_fd = kChildGateFd;
  cfg.trace = req.trace;
  cfg.exe = req.exe;
  cfg.supervisor_pid = getpid();
  std::string cfg_json = cfg.to_json();
  std::string arg0 = "mpviz", arg1 = rt::kMainArg;
  std::vector<char*> argv = {arg0.data(), arg1.data(), cfg_json.data(), nullptr};
  std::string exe = req.exe;
  // Python mode: the same pipe and gate, handed over by environment.
  std::string py = req.python_exe.empty() ? "/usr/bin/python3" : req.python_exe,
              prog = req.python_program;
  std::vector<std::string> env_storage;
  std::vector<char*> envp;
  char** env = environ;
  if (!req.python_program.empty()) {
    exe = py;
    argv = {py.data(), prog.data(), nullptr};
    for (char** e = environ; *e; ++e) {
      std::string kv = *e;
      // Tests and benchmarks choose the tracer's path (TRACER_PURE) and ask
      // which one ran (TRACER_REPORT); any other MPVIZ_ is set below.
      const bool tracer_debug =
          kv.rfind("MPVIZ_TRACER_PURE=", 0) == 0 || kv.rfind("MPVIZ_TRACER_REPORT=", 0) == 0;
      if (!tracer_debug && (kv.rfind("MPVIZ_", 0) == 0 || kv.rfind("PYTHONPATH=", 0) == 0)) continue;
      env_storage.push_back(kv);
    }
    const char* old_pp = getenv("PYTHONPATH");
    env_storage.push_back("PYTHONPATH=" + req.python_path +
                          (old_pp && *old_pp ? std::string(":") + old_pp : std::string()));
    if (!req.python_ext_dir.empty())
      env_storage.push_back("MPVIZ_TRACER_EXT_DIR=" + req.python_ext_dir);
    env_storage.push_back("MPVIZ_EVENT_FD=" + std::to_string(kChildEventFd));
    env_storage.push_back("MPVIZ_GATE_FD=" + std::to_string(kChildGateFd));
    char speed[32];
    std::snprintf(speed, sizeof speed, "%.17g", req.speed);
    env_storage.push_back(std::string("MPVIZ_SPEED=") + speed);
    if (req.method_given)
      env_storage.push_back(std::string("MPVIZ_METHOD=") +
                            (req.forkserver ? "forkserver" : rt::method_name(req.method)));
    for (auto& s : env_storage) envp.push_back(s.data());
    envp.push_back(nullptr);
    env = envp.data();
  }

  SpawnSetup sp;
  posix_spawn_file_actions_addopen(&sp.files, 0, "/dev/null", O_RDONLY, 0);
  if (req.python_program.empty() || !req.pass_stdout)
    posix_spawn_file_actions_addopen(&sp.files, 1, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_adddup2(&sp.files, event_src, kChildEventFd);
  posix_spawn_file_actions_adddup2(&sp.files, gate_src, kChildGateFd);
  t0_ = rt::now_ns();
  pid_t pid = 0;
  int rc = posix_spawn(&pid, exe.c_str(), &sp.files, &sp.attr, argv.data(), env);
  close(event_src);
  close(gate_src);
  if (rc != 0) {
    close(read_fd_);
    read_fd_ = -1;
    return {rc, std::system_category()};
  }
  main_pid_ = pid;
  limits_ = req.limits;
  started_ = {pid};
  // A kernel backstop for --max-memory, per process: posix_spawn returns
  // once main has exec'd, before it can have started anything, and its
  // children inherit the limit. Address space is not memory (reservations,
  // thread stacks, malloc arenas), hence the headroom: the reader's sampling
  // of resident memory is what stops a run; this only keeps one process from
  // taking far more in one go than the sampling can see.
  if (limits_.max_memory_bytes > 0) {
    rlimit rl{};
    if (prlimit(pid, RLIMIT_AS, nullptr, &rl) == 0) {
      rlim_t want = static_cast<rlim_t>(limits_.max_memory_bytes + 1024 * kMiB);
      if (rl.rlim_max == RLIM_INFINITY || want < rl.rlim_max) rl.rlim_max = want;
      rl.rlim_cur = rl.rlim_max;
      prlimit(pid, RLIMIT_AS, &rl, nullptr);
    }
  }
  janitor_pid_ = start_janitor(req.exe.c_str(), pid, janitor_fd_);  // always an mpviz binary
  {
    std::lock_guard lk(mu_);
    status_ = RunStatus::Running;
  }
  Event e = make_event(EventKind::process_start, pid, 0);
  e.other = getpid();
  e.name = "MainProcess";
  if (req.method == rt::StartMethod::Spawn) e.flags |= kFlagSpawn;
  log_.append(e);

  reader_ = std::thread([this] { reader_loop(); });
  waiter_ = std::thread([this] { waiter_loop(); });
  return {};
}

void Supervisor::reader_loop() {
  wire::FrameDecoder dec;
  std::vector<uint8_t> buf(64 * 1024);
  std::vector<EventView> out;  // strings point into dec's buffer until the next feed
  bool grace_started = false;
  int64_t grace_deadline = 0;
  DeathWatch deaths;
  std::vector<int> pidfds;
  std::vector<pollfd> pfds;
  auto has_ended = [&](int32_t pid) { return log_.has_ended(pid); };
  // Ends the supervisor writes itself, for deaths nobody reported.
  auto report_unreported = [&](std::vector<Event> unreported) {
    if (unreported.empty()) return;
    std::lock_guard lk(mu_);
    for (auto& e : unreported) {
      e.t_ns -= t0_;  // the moment the pidfd said it died
      if (e.kind != EventKind::process_killed) continue;
      if (auto k = user_killed_.find(e.pid); k != user_killed_.end()) {
        // Reaped by a parent that did not report it in time: the status is
        // gone, but the signal is the one the user sent.
        if (e.text == "unreported") e.value = k->second;
        e.text = "user";
      } else if (stopping_.load()) {
        if (e.text == "unreported") e.value = SIGTERM;  // what the stop sent everyone
        e.text = "stop";
      }
    }
    log_.append(unreported);
  };
  for (;;) {
    pidfds.clear();
    deaths.poll_fds(pidfds);
    pfds.assign(1, pollfd{read_fd_, POLLIN, 0});
    for (int fd : pidfds) pfds.push_back(pollfd{fd, POLLIN, 0});
    int r = ::poll(pfds.data(), pfds.size(), 50);
    if (r < 0 && errno != EINTR) break;
    for (size_t i = 1; r > 0 && i < pfds.size(); ++i)
      if (pfds[i].revents) deaths.mark_dead(pfds[i].fd, rt::now_ns());
    report_unreported(deaths.collect(rt::now_ns(), has_ended));
    if (r > 0 && pfds[0].revents) {
      ssize_t n = ::read(read_fd_, buf.data(), buf.size());
      if (n == 0) break;  // every writer is gone
      if (n < 0) {
        if (errno == EINTR || errno == EAGAIN) continue;
        break;
      }
      out.clear();
      dec.feed(std::span<const uint8_t>(buf.data(), static_cast<size_t>(n)), out);
      bool new_process = false;
      {
        std::lock_guard lk(mu_);
        for (auto& e : out) {
          e.t_ns -= t0_;
          if (e.kind == EventKind::print) output_bytes_ += static_cast<int64_t>(e.text.size());
          if (e.kind == EventKind::process_start) new_process |= started_.insert(e.pid).second;
          if (e.kind == EventKind::process_start && e.pid != main_pid_) deaths.watch(e.pid);
          if (!is_end(e)) continue;
          steps_.forget(e.pid);
          if (e.kind == EventKind::process_killed && user_killed_.count(e.pid)) e.text = "user";
        }
      }
      log_.append(std::span<const EventView>(out));
      out.clear();  // keeps its capacity for the next read
      {
        std::lock_guard lk(mu_);
        stats_ = dec.stats();
      }
      if (limits_.max_output_bytes > 0 && output_bytes_ > limits_.max_output_bytes)
        limit_crossed("max_output", "the run printed more than " + megabytes(limits_.max_output_bytes) +
                                        " (--max-output " + std::to_string(limits_.max_output_bytes / kMiB) + ")");
      if (new_process) check_process_limit();
      sample_group_usage();
      continue;
    }
    sample_group_usage();
    // Everything is reaped but someone still holds the pipe (it cannot be a
    // process of the run): give it a short grace, then stop reading.
    std::lock_guard lk(mu_);
    if (waiter_done_ && !grace_started) {
      grace_started = true;
      grace_deadline = rt::now_ns() + 500'000'000;
    }
    if (grace_started && rt::now_ns() > grace_deadline) break;
  }
  // Everyone is gone. A process reaped by a parent that died before it could
  // report the end (a Python parent finishing a waitpid in its SIGTERM
  // handler) has no end yet, and there is no grace left to wait for one.
  // The waiter's ends come first (they carry the real wait status): let it
  // reap what is left, boundedly.
  {
    std::unique_lock lk(mu_);
    cv_.wait_for(lk, std::chrono::seconds(2), [&] { return waiter_done_; });
  }
  pidfds.clear();
  deaths.poll_fds(pidfds);
  pfds.clear();
  for (int fd : pidfds) pfds.push_back(pollfd{fd, POLLIN, 0});
  if (!pfds.empty() && ::poll(pfds.data(), pfds.size(), 0) > 0)
    for (const auto& p : pfds)
      if (p.revents) deaths.mark_dead(p.fd, rt::now_ns());
  report_unreported(deaths.collect(INT64_MAX, has_ended));
  dec.finish();
  std::lock_guard lk(mu_);
  stats_ = dec.stats();
  reader_done_ = true;
  finish_if_complete();
  cv_.notify_all();
}

void Supervisor::waiter_loop() {
  bool main_reaped = false;
  for (;;) {
    siginfo_t info{};
    int r = waitid(P_PGID, static_cast<id_t>(main_pid_), &info, WEXITED);
    if (r != 0) {
      if (errno == EINTR) continue;
      if (main_reaped || errno == ECHILD) break;
      break;
    }
    bool stopping = stopping_.load();
    Event e = make_event(EventKind::process_exit, info.si_pid, rel_now());
    e.flags = kFlagReaped;
    if (info.si_code == CLD_EXITED) {
      e.value = info.si_status;
    } else {
      e.kind = EventKind::process_killed;
      e.value = info.si_status;
      e.text = stopping ? "stop" : "signal";
    }
    steps_.forget(info.si_pid);
    {
      std::lock_guard lk(mu_);
      if (e.kind == EventKind::process_killed && user_killed_.count(info.si_pid)) e.text = "user";
    }
    if (info.si_pid == main_pid_) {
      main_reaped = true;
      main_code_ = info.si_code == CLD_EXITED ? info.si_status : -info.si_status;
      main_killed_ = info.si_code != CLD_EXITED;
    }
    log_.append(e);
  }
  std::lock_guard lk(mu_);
  waiter_done_ = true;
  finish_if_complete();
  cv_.notify_all();
}

void Supervisor::limit_crossed(const char* limit, std::string message) {
  if (stopping_.load() || limit_stopping_.exchange(true)) return;
  {
    std::lock_guard lk(mu_);
    limit_hit_ = LimitHit{limit, std::move(message)};
  }
  // Not here: stop() waits for this thread to drain the pipe.
  limit_stopper_ = std::thread([this] { stop(kLimitStopGrace); });
}

void Supervisor::check_process_limit() {
  // Main does not count: the limit is on the processes a program starts
  // (basic's `processes=64` is 64 children and main).
  auto children = [&] { return static_cast<int>(started_.size()) - 1; };
  if (limits_.max_processes <= 0 || children() <= limits_.max_processes) return;
  for (auto it = started_.begin(); it != started_.end();)
    it = *it != main_pid_ && log_.has_ended(*it) ? started_.erase(it) : std::next(it);
  if (children() > limits_.max_processes)
    limit_crossed("max_processes", "more than " + std::to_string(limits_.max_processes) +
                                       " processes at once besides main (" + std::to_string(children()) +
                                       " started and not ended; --max-processes " +
                                       std::to_string(limits_.max_processes) + ")");
}

void Supervisor::sample_group_usage() {
  if (limits_.max_processes <= 0 && limits_.max_memory_bytes <= 0) return;
  if (limit_stopping_.load() || stopping_.load()) return;
  int64_t now = rt::now_ns();
  if (now < next_sample_ns_) return;
  next_sample_ns_ = now + kSampleEveryNs;
  GroupUsage u = group_usage(main_pid_);
  if (limits_.max_processes > 0 && u.processes - 1 > limits_.max_processes)
    limit_crossed("max_processes", "more than " + std::to_string(limits_.max_processes) +
                                       " processes at once besides main (" + std::to_string(u.processes - 1) +
                                       " alive in the run's group; --max-processes " +
                                       std::to_string(limits_.max_processes) + ")");
  else if (limits_.max_memory_bytes > 0 && u.rss_bytes > limits_.max_memory_bytes)
    limit_crossed("max_memory", "the run's processes use " + megabytes(u.rss_bytes) +
                                    " of memory, more than " + megabytes(limits_.max_memory_bytes) +
                                    " (--max-memory " + std::to_string(limits_.max_memory_bytes / kMiB) + ")");
}

std::optional<LimitHit> Supervisor::limit_hit() const {
  std::lock_guard lk(mu_);
  return limit_hit_;
}

void Supervisor::finish_if_complete() {
  // Called with mu_ held.
  if (finished_ || !reader_done_ || !waiter_done_) return;
  finished_ = true;
  dismiss_janitor(janitor_pid_, janitor_fd_);
  janitor_pid_ = -1;
  janitor_fd_ = -1;
  RunStatus st = stopping_.load() ? RunStatus::Stopped
                 : (main_code_ == 0 && !main_killed_) ? RunStatus::Finished
                                                      : RunStatus::Failed;
  Event e = make_event(EventKind::run_end, 0, rel_now());
  e.text = status_name(st);
  if (limit_hit_) e.name = limit_hit_->limit;  // run_end's "limit"
  e.value = static_cast<int64_t>(stats_.dropped_frames + steps_.dropped_frames());
  log_.append(e);
  status_ = st;
}

bool Supervisor::kill_process(pid_t pid, int sig) {
  if (main_pid_ <= 0 || pid <= 0 || done()) return false;
  // Only members of this run's process group: never anything else.
  if (getpgid(pid) != main_pid_) return false;
  {
    std::lock_guard lk(mu_);
    user_killed_[pid] = sig;
  }
  return ::kill(pid, sig) == 0;
}

void Supervisor::request_stop() {
  if (main_pid_ <= 0 || stopper_.joinable()) return;
  if (!stopping_.exchange(true)) stop_t_ = rel_now();
  stopper_ = std::thread([this] { stop(); });
}

void Supervisor::stop(std::chrono::milliseconds grace) {
  if (main_pid_ <= 0) return;
  if (!stopping_.exchange(true)) stop_t_ = rel_now();
  std::vector<std::string> leftover;
  {
    std::lock_guard lk(mu_);
    if (waiter_done_) goto wait_all;
  }
  ::kill(-main_pid_, SIGTERM);
  {
    std::unique_lock lk(mu_);
    if (!cv_.wait_for(lk, grace, [&] { return waiter_done_; })) {
      lk.unlock();
      // Python mode: CPython's resource tracker is a process of the run and
      // dies with this SIGKILL before it can unlink the run's named
      // semaphores; note them (the group frozen, so none is added) and
      // unlink them once everything is reaped.
      ::kill(-main_pid_, SIGSTOP);
      leftover = cpython_shm_names_of_group(main_pid_);
      ::kill(-main_pid_, SIGKILL);
    }
  }
wait_all:
  wait(std::chrono::milliseconds(5000));
  unlink_shm_names(leftover);
}

bool Supervisor::wait(std::chrono::milliseconds timeout) {
  std::unique_lock lk(mu_);
  return cv_.wait_for(lk, timeout, [&] { return finished_; });
}

bool Supervisor::done() const {
  std::lock_guard lk(mu_);
  return finished_;
}

RunStatus Supervisor::status() const {
  std::lock_guard lk(mu_);
  return status_;
}

std::optional<int64_t> Supervisor::stop_time() const {
  int64_t t = stop_t_.load();
  if (t < 0) return std::nullopt;
  return t;
}

wire::DecoderStats Supervisor::decoder_stats() const {
  std::lock_guard lk(mu_);
  return stats_;
}

}  // namespace mpviz
