#include "scenarios/registry.hpp"

namespace mpviz::scenarios {

const ScenarioList& all() {
  static const ScenarioList list = {basic(),
                                     subclass(),
                                     daemon(),
                                     lock(),
                                     race(),
                                     deadlock(),
                                     semaphore(),
                                     fork_vs_spawn(),
                                     threads_vs_processes(),
                                     pipe(),
                                     pool_apply_async(),
                                     pool_map()};
  return list;
}

}  // namespace mpviz::scenarios
