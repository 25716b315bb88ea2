#include "engine/scenario/scenario.hpp"

namespace mpviz {

const ScenarioDef* find_scenario(const ScenarioList& list, const std::string& name) {
  for (const auto& s : list)
    if (s.info.name == name) return &s;
  return nullptr;
}

}  // namespace mpviz
