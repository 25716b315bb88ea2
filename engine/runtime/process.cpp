#include "engine/runtime/process.hpp"

#include <cerrno>
#include <csignal>
#include <cstdio>
#include <fcntl.h>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <system_error>
#include <unistd.h>
#include <vector>

#include "engine/runtime/api.hpp"
#include "engine/wire/clock.hpp"
#include "engine/runtime/gate.hpp"
#include "engine/runtime/process_runtime.hpp"
#include "engine/runtime/spawn_child.hpp"
#include "engine/scenario/scenario.hpp"

namespace mpviz::rt {
namespace {

void clear_cloexec(int fd) {
  if (fd < 0) return;
  int fl = fcntl(fd, F_GETFD);
  if (fl >= 0) fcntl(fd, F_SETFD, fl & ~FD_CLOEXEC);
}

}  // namespace

Process::Process(std::string entry, Args args, std::string type_name)
    : entry_(std::move(entry)), args_(std::move(args)), type_name_(std::move(type_name)) {}

void Process::run() { run_entry(entry_, args_); }

void Process::start() {
  auto& rt = ProcessRuntime::current();
  if (pid_ != 0) throw std::logic_error("cannot start a process twice");
  if (rt.daemonic()) throw std::logic_error("daemonic processes are not allowed to have children");
  std::string identity = rt.next_child_identity();
  if (name.empty()) name = type_name_ + "-" + identity;
  pass_gate(EventKind::process_start, name);

  // Prepare everything that allocates before fork (the exec path must not).
  bool spawn = rt.config().method == StartMethod::Spawn;
  SpawnRequest req;
  std::vector<std::string> argv_storage;
  if (spawn) {
    req.config = rt.config();
    req.name = name;
    req.identity = identity;
    req.daemon = daemon;
    req.entry = entry_;
    req.args = args_;
    argv_storage = spawn_argv(req);
  }

  rt.flush();  // the child must not inherit (and repeat) our unsent events
  sigset_t all, old;
  sigfillset(&all);
  sigprocmask(SIG_SETMASK, &all, &old);
  int64_t t_start = now_ns();
  pid_t pid = fork();
  if (pid < 0) {
    int err = errno;
    sigprocmask(SIG_SETMASK, &old, nullptr);
    throw std::system_error(err, std::system_category(), "fork");
  }
  if (pid == 0) {
    reset_child_signals(old);
    if (spawn) {
      clear_cloexec(rt.config().event_fd);
      clear_cloexec(rt.arena().fd());
      clear_cloexec(rt.config().gate_fd);
      for (const auto& v : args_.values())
        if (auto* h = std::get_if<Handle>(&v)) {
          clear_cloexec(h->fd0);
          clear_cloexec(h->fd1);
        }
      std::vector<char*> argv;
      for (auto& s : argv_storage) argv.push_back(s.data());
      argv.push_back(nullptr);
      execv(rt.config().exe.c_str(), argv.data());
      std::fprintf(stderr, "mpviz: cannot exec %s: %s\n", rt.config().exe.c_str(),
                   std::strerror(errno));
      _exit(127);
    }
    rt.become_forked_child(name, identity, daemon);
    int code = run_child_body([this] { run(); });
    rt.exit_process(code);
  }
  sigprocmask(SIG_SETMASK, &old, nullptr);
  pid_ = pid;
  rt.add_child(pid, name, daemon);
  Event e = make_event(EventKind::process_start, pid, t_start);
  e.other = rt.pid();
  e.name = name;
  if (daemon) e.flags |= kFlagDaemon;
  if (spawn) e.flags |= kFlagSpawn;
  rt.emit(std::move(e));
}

void Process::join(std::optional<double> timeout) {
  if (pid_ == 0) throw std::logic_error("can only join a started process");
  auto& rt = ProcessRuntime::current();
  pass_gate(EventKind::join_begin);
  Event b = rt.event(EventKind::join_begin);
  b.other = pid_;
  if (timeout) {
    b.flags |= kFlagHasTimeout;
    b.seconds = *timeout;
  }
  uint8_t timeout_flags = b.flags;
  double timeout_s = b.seconds;
  rt.emit(std::move(b));
  bool ended = rt.wait_child(pid_, timeout ? rt.scaled_ns(*timeout) : -1);
  Event e = rt.event(EventKind::join_end);
  e.other = pid_;
  e.flags = timeout_flags;
  e.seconds = timeout_s;
  if (!ended) e.flags |= kFlagTimedOut;
  rt.emit(std::move(e));
}

bool Process::is_alive() {
  if (pid_ == 0) return false;
  return !ProcessRuntime::current().wait_child(pid_, 0);
}

void Process::terminate() {
  if (pid_ != 0) ProcessRuntime::current().signal_child(pid_, SIGTERM, "terminate");
}

void Process::kill() {
  if (pid_ != 0) ProcessRuntime::current().signal_child(pid_, SIGKILL, "kill");
}

std::optional<int> Process::exitcode() {
  if (pid_ == 0) return std::nullopt;
  auto& rt = ProcessRuntime::current();
  rt.wait_child(pid_, 0);
  auto* c = rt.child(pid_);
  if (!c || !c->ended) return std::nullopt;
  return c->exitcode;
}

}  // namespace mpviz::rt
