// The hidden entry points that turn an mpviz binary into one of a run's
// processes rather than a front end: the run's janitor (`__janitor PGID`,
// this room) or a scenario process (`__main` / `__child`, the runtime's).
// Every binary the engine execs calls this first in main().
#pragma once
#include "engine/scenario/scenario.hpp"

namespace mpviz {

// True if argv asks for one of them.
bool is_hidden_entry(int argc, char** argv);
// Runs it and exits the process with its code.
[[noreturn]] void hidden_entry_main(int argc, char** argv, const ScenarioList& list);

}  // namespace mpviz
