// Per-OS-process state of the runtime, the counterpart of the module state
// of Python's multiprocessing: who am I (name, identity), where do events go,
// the run's shared arena, and the children this process started (so it can
// join them and apply Python's exit rules).
#pragma once
#include <map>
#include <optional>
#include <string>
#include <csignal>
#include <sys/types.h>

#include "engine/wire/event.hpp"
#include "engine/scenario/params.hpp"
#include "engine/runtime/arena.hpp"
#include "engine/runtime/emitter.hpp"

namespace mpviz {
struct ScenarioDef;
}

namespace mpviz::rt {

enum class StartMethod { Fork, Spawn };
const char* method_name(StartMethod m);
std::optional<StartMethod> method_from_name(const std::string& s);

// Everything every process of a run knows; crosses exec as JSON.
struct RunConfig {
  std::string scenario;
  StartMethod method = StartMethod::Fork;
  double speed = 1.0;
  ParamValues params;
  int event_fd = -1;
  int arena_fd = -1;
  int gate_fd = -1;  // step mode's gate table (-1: none)
  bool trace = true;  // false only for benchmarks measuring the cost of tracing
  std::string exe;  // the binary that holds the scenarios (for spawn)
  pid_t supervisor_pid = 0;

  std::string to_json() const;
  static std::optional<RunConfig> from_json(const std::string& text,
                                            const std::vector<ParamSpec>& specs,
                                            std::string& error);
};

struct ChildRecord {
  std::string name;
  bool daemon = false;
  bool ended = false;
  int exitcode = 0;          // Python's convention: -signal when killed
  std::string kill_reason;   // "by" when this process killed it
};

class ProcessRuntime {
 public:
  static ProcessRuntime& current();

  // Set-up in the scenario's main process and in spawned children.
  void init_main(RunConfig cfg, const ScenarioDef* def);
  void init_spawned(RunConfig cfg, const ScenarioDef* def, std::string name,
                    std::string identity, bool daemon);
  // Called in a freshly forked child.
  void become_forked_child(std::string name, std::string identity, bool daemon);

  const RunConfig& config() const { return cfg_; }
  const ScenarioDef* scenario() const { return def_; }
  Arena& arena() { return arena_; }
  const std::string& name() const { return name_; }
  pid_t pid() const { return pid_; }
  bool daemonic() const { return daemonic_; }

  Event event(EventKind k) const;  // stamped with this pid and now
  void emit(Event e) { emitter_.emit(std::move(e)); }
  void flush() { emitter_.flush(); }
  Emitter& emitter() { return emitter_; }

  // Scenario seconds -> wall nanoseconds under --speed (0 means "skip").
  int64_t scaled_ns(double seconds) const;

  // Children bookkeeping.
  std::string next_child_identity();
  void add_child(pid_t pid, std::string name, bool daemon);
  ChildRecord* child(pid_t pid);
  // Waits for the child to end, up to timeout_ns (<0: forever). Returns true
  // if it has ended (and was reaped, emitting its end event).
  bool wait_child(pid_t pid, int64_t timeout_ns);
  void signal_child(pid_t pid, int sig, const std::string& reason);

  // Python's exit rules, then process_exit and _exit. Never returns.
  [[noreturn]] void exit_process(int code);

 private:
  void reap(pid_t pid, const siginfo_t& info);

  RunConfig cfg_;
  const ScenarioDef* def_ = nullptr;
  Emitter emitter_;
  Arena arena_;
  std::string name_ = "MainProcess";
  std::string identity_;
  int child_counter_ = 0;
  bool daemonic_ = false;
  pid_t pid_ = 0;
  std::map<pid_t, ChildRecord> children_;
};

}  // namespace mpviz::rt
