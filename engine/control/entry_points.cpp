#include "engine/control/entry_points.hpp"

#include <cstdlib>
#include <cstring>

#include "engine/control/janitor.hpp"
#include "engine/runtime/spawn_child.hpp"

namespace mpviz {

namespace {
bool is_janitor(int argc, char** argv) { return argc >= 3 && std::strcmp(argv[1], kJanitorArg) == 0; }
}  // namespace

bool is_hidden_entry(int argc, char** argv) {
  return is_janitor(argc, argv) || rt::is_scenario_process(argc, argv);
}

void hidden_entry_main(int argc, char** argv, const ScenarioList& list) {
  if (is_janitor(argc, argv)) janitor_main(std::atoi(argv[2]));
  rt::scenario_process_main(argc, argv, list);
}

}  // namespace mpviz
