// The two hidden entry points of the mpviz binary that turn it into a
// scenario process:
//   mpviz __main  CONFIG_JSON                 the scenario's main process
//   mpviz __child CONFIG_JSON CHILD_JSON      a child under start method spawn
// plus the helpers Process::start uses around fork/exec.
#pragma once
#include <csignal>
#include <functional>
#include <string>
#include <vector>

#include "engine/scenario/args.hpp"
#include "engine/runtime/process_runtime.hpp"
#include "engine/scenario/scenario.hpp"

namespace mpviz::rt {

inline constexpr const char* kMainArg = "__main";
inline constexpr const char* kChildArg = "__child";

struct SpawnRequest {
  RunConfig config;
  std::string name, identity, entry;
  bool daemon = false;
  Args args;
};

std::vector<std::string> spawn_argv(const SpawnRequest& req);

// In a fresh child: default signal dispositions, the mask from before fork.
void reset_child_signals(const sigset_t& mask);

// Runs a process body like CPython's Process._bootstrap: an escaping
// exception is reported and gives exit code 1.
int run_child_body(const std::function<void()>& body);

// True if argv asks for a scenario process (`__main` or `__child`). The
// binaries call control/entry_points.hpp, which also knows the janitor.
bool is_scenario_process(int argc, char** argv);
[[noreturn]] void scenario_process_main(int argc, char** argv, const ScenarioList& list);

}  // namespace mpviz::rt
