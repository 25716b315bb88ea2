#include "engine/runtime/process_runtime.hpp"

#include <cerrno>
#include <csignal>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <poll.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "engine/wire/clock.hpp"
#include "engine/runtime/gate.hpp"
#include "engine/scenario/scenario.hpp"

namespace mpviz::rt {

const char* method_name(StartMethod m) { return m == StartMethod::Spawn ? "spawn" : "fork"; }

std::optional<StartMethod> method_from_name(const std::string& s) {
  if (s == "fork") return StartMethod::Fork;
  if (s == "spawn") return StartMethod::Spawn;
  return std::nullopt;
}

std::string RunConfig::to_json() const {
  nlohmann::json p = nlohmann::json::object();
  for (const auto& [k, v] : params.all()) p[k] = format_param(v);
  nlohmann::json j = {{"scenario", scenario}, {"method", method_name(method)},
                      {"speed", speed},       {"params", p},
                      {"event_fd", event_fd}, {"arena_fd", arena_fd}, {"gate_fd", gate_fd}, {"trace", trace},
                      {"exe", exe},           {"supervisor_pid", supervisor_pid}};
  return j.dump();
}

std::optional<RunConfig> RunConfig::from_json(const std::string& text,
                                              const std::vector<ParamSpec>& specs,
                                              std::string& error) {
  auto j = nlohmann::json::parse(text, nullptr, false);
  if (!j.is_object()) {
    error = "run configuration is not a JSON object";
    return std::nullopt;
  }
  try {
    RunConfig c;
    c.scenario = j.at("scenario").get<std::string>();
    auto m = method_from_name(j.at("method").get<std::string>());
    if (!m) {
      error = "bad start method";
      return std::nullopt;
    }
    c.method = *m;
    c.speed = j.at("speed").get<double>();
    c.params = ParamValues::defaults(specs);
    for (const auto& [k, v] : j.at("params").items()) {
      if (auto err = c.params.set(specs, k + "=" + v.get<std::string>())) {
        error = *err;
        return std::nullopt;
      }
    }
    c.event_fd = j.at("event_fd").get<int>();
    c.arena_fd = j.at("arena_fd").get<int>();
    c.gate_fd = j.at("gate_fd").get<int>();
    c.trace = j.value("trace", true);
    c.exe = j.at("exe").get<std::string>();
    c.supervisor_pid = j.at("supervisor_pid").get<pid_t>();
    return c;
  } catch (const nlohmann::json::exception& e) {
    error = std::string("run configuration: ") + e.what();
    return std::nullopt;
  }
}

ProcessRuntime& ProcessRuntime::current() {
  static ProcessRuntime rt;
  return rt;
}

void ProcessRuntime::init_main(RunConfig cfg, const ScenarioDef* def) {
  cfg_ = std::move(cfg);
  def_ = def;
  pid_ = getpid();
  emitter_.attach(cfg_.event_fd);
  emitter_.set_enabled(cfg_.trace);
  emitter_.install_term_flush();
  attach_gate(cfg_.gate_fd);
  if (auto ec = arena_.create()) {
    std::fprintf(stderr, "mpviz: cannot create shared memory: %s\n", ec.message().c_str());
    _exit(1);
  }
  cfg_.arena_fd = arena_.fd();
}

void ProcessRuntime::init_spawned(RunConfig cfg, const ScenarioDef* def, std::string name,
                                  std::string identity, bool daemon) {
  cfg_ = std::move(cfg);
  def_ = def;
  pid_ = getpid();
  name_ = std::move(name);
  identity_ = std::move(identity);
  daemonic_ = daemon;
  emitter_.attach(cfg_.event_fd);
  emitter_.set_enabled(cfg_.trace);
  emitter_.install_term_flush();
  attach_gate(cfg_.gate_fd);
  if (auto ec = arena_.attach(cfg_.arena_fd)) {
    std::fprintf(stderr, "mpviz: cannot map shared memory: %s\n", ec.message().c_str());
    _exit(1);
  }
}

void ProcessRuntime::become_forked_child(std::string name, std::string identity, bool daemon) {
  pid_ = getpid();
  name_ = std::move(name);
  identity_ = std::move(identity);
  daemonic_ = daemon;
  child_counter_ = 0;
  children_.clear();
  reset_gate_slot();
  emitter_.drop_pending();
  emitter_.install_term_flush();  // reset_child_signals set SIGTERM back to default
}

Event ProcessRuntime::event(EventKind k) const { return make_event(k, pid_, now_ns()); }

int64_t ProcessRuntime::scaled_ns(double seconds) const {
  double speed = live_speed(cfg_.speed);
  if (speed <= 0 || seconds <= 0) return 0;
  return static_cast<int64_t>(seconds / speed * 1e9);
}

std::string ProcessRuntime::next_child_identity() {
  ++child_counter_;
  return identity_.empty() ? std::to_string(child_counter_)
                           : identity_ + ":" + std::to_string(child_counter_);
}

void ProcessRuntime::add_child(pid_t pid, std::string name, bool daemon) {
  ChildRecord r;
  r.name = std::move(name);
  r.daemon = daemon;
  children_[pid] = std::move(r);
}

ChildRecord* ProcessRuntime::child(pid_t pid) {
  auto it = children_.find(pid);
  return it == children_.end() ? nullptr : &it->second;
}

void ProcessRuntime::reap(pid_t pid, const siginfo_t& info) {
  ChildRecord* c = child(pid);
  if (!c) return;
  Event e = event(EventKind::process_exit);
  e.pid = pid;
  e.flags = kFlagReaped;
  if (info.si_code == CLD_EXITED) {
    c->exitcode = info.si_status;
    e.value = info.si_status;
  } else {
    c->exitcode = -info.si_status;
    e.kind = EventKind::process_killed;
    e.value = info.si_status;
    e.text = c->kill_reason.empty() ? "signal" : c->kill_reason;
  }
  // Tell first, then reap: the status was read with WNOWAIT, so if this
  // process dies right here (a stop kills everyone at once), the zombie
  // passes to the engine's subreaper, which records the end instead.
  emit(std::move(e));
  siginfo_t gone{};
  while (waitid(P_PID, static_cast<id_t>(pid), &gone, WEXITED) != 0 && errno == EINTR) {
  }
  c->ended = true;
}

bool ProcessRuntime::wait_child(pid_t pid, int64_t timeout_ns) {
  ChildRecord* c = child(pid);
  if (!c) return true;
  if (c->ended) return true;
  if (timeout_ns != 0) flush();  // joining can block: say so first
  if (timeout_ns >= 0) {
    // glibc 2.36's <sys/pidfd.h> lacks extern "C"; call the syscall directly.
    int pfd = static_cast<int>(syscall(SYS_pidfd_open, pid, 0));
    if (pfd >= 0) {
      int64_t deadline = now_ns() + timeout_ns;
      for (;;) {
        int64_t left = deadline - now_ns();
        int ms = left <= 0 ? 0 : static_cast<int>((left + 999'999) / 1'000'000);
        pollfd p{pfd, POLLIN, 0};
        int r = ::poll(&p, 1, ms);
        if (r > 0 || (r == 0 && left <= 0) || (r < 0 && errno != EINTR)) break;
        if (r == 0 && now_ns() >= deadline) break;
      }
      close(pfd);
    }
    siginfo_t info{};
    if (waitid(P_PID, static_cast<id_t>(pid), &info, WEXITED | WNOHANG | WNOWAIT) == 0 &&
        info.si_pid == pid) {
      reap(pid, info);
      return true;
    }
    return false;
  }
  for (;;) {
    siginfo_t info{};
    if (waitid(P_PID, static_cast<id_t>(pid), &info, WEXITED | WNOWAIT) == 0) {
      reap(pid, info);
      return true;
    }
    if (errno != EINTR) {  // ECHILD: someone else reaped it; treat as ended
      c->ended = true;
      return true;
    }
  }
}

void ProcessRuntime::signal_child(pid_t pid, int sig, const std::string& reason) {
  ChildRecord* c = child(pid);
  if (!c || c->ended) return;
  if (c->kill_reason.empty()) c->kill_reason = reason;
  ::kill(pid, sig);
}

void ProcessRuntime::exit_process(int code) {
  pass_gate(EventKind::process_exit);
  // CPython's util._exit_function: terminate daemonic children, join the rest.
  for (auto& [pid, c] : children_)
    if (c.daemon && !c.ended) signal_child(pid, SIGTERM, "parent_exit");
  for (auto& [pid, c] : children_) {
    if (c.ended) continue;
    // The implicit join is real waiting; show it like an explicit one.
    Event b = event(EventKind::join_begin);
    b.other = pid;
    emit(std::move(b));
    wait_child(pid, -1);
    Event en = event(EventKind::join_end);
    en.other = pid;
    emit(std::move(en));
  }
  Event e = event(EventKind::process_exit);
  e.value = code;
  emit(std::move(e));
  flush();
  release_gate_slot();
  std::fflush(nullptr);
  _exit(code);
}

}  // namespace mpviz::rt
