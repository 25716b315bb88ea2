#include "engine/control/supervisor.hpp"

#include <cerrno>
#include <csignal>
#include <fcntl.h>
#include <poll.h>
#include <spawn.h>
#include <sys/prctl.h>
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
}

Supervisor::Supervisor(EventLog& log) : log_(log) {}

Supervisor::~Supervisor() {
  if (stopper_.joinable()) stopper_.join();
  if (main_pid_ > 0 && !done()) stop();
  if (reader_.joinable()) reader_.join();
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
  std::string py = "/usr/bin/python3", prog = req.python_program;
  std::vector<std::string> env_storage;
  std::vector<char*> envp;
  char** env = environ;
  if (!req.python_program.empty()) {
    exe = py;
    argv = {py.data(), prog.data(), nullptr};
    for (char** e = environ; *e; ++e) {
      std::string kv = *e;
      if (kv.rfind("MPVIZ_", 0) == 0 || kv.rfind("PYTHONPATH=", 0) == 0) continue;
      env_storage.push_back(kv);
    }
    const char* old_pp = getenv("PYTHONPATH");
    env_storage.push_back("PYTHONPATH=" + req.python_path +
                          (old_pp && *old_pp ? std::string(":") + old_pp : std::string()));
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
      if (user_killed_.count(e.pid)) {
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
      {
        std::lock_guard lk(mu_);
        for (auto& e : out) {
          e.t_ns -= t0_;
          if (e.kind == EventKind::process_start && e.pid != main_pid_) deaths.watch(e.pid);
          if (!is_end(e)) continue;
          steps_.forget(e.pid);
          if (e.kind == EventKind::process_killed && user_killed_.count(e.pid)) e.text = "user";
        }
      }
      log_.append(std::span<const EventView>(out));
      out.clear();  // keeps its capacity for the next read
      std::lock_guard lk(mu_);
      stats_ = dec.stats();
      continue;
    }
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
    user_killed_.insert(pid);
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
