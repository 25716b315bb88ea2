#include "scenarios/registry.hpp"

namespace mpviz::scenarios {

const ScenarioList& all() {
  static const ScenarioList list = {basic(), subclass(), daemon(), lock()};
  return list;
}

}  // namespace mpviz::scenarios
