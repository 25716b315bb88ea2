// Every built-in scenario, in tutorial order. Built explicitly, once.
#pragma once
#include "engine/scenario/scenario.hpp"

namespace mpviz::scenarios {

const ScenarioList& all();
inline constexpr const char* kDefaultScenario = "lock";

// One factory per tutorial section (one source file each).
ScenarioDef basic();
ScenarioDef subclass();
ScenarioDef daemon();
ScenarioDef lock();
ScenarioDef race();
ScenarioDef deadlock();
ScenarioDef semaphore();
ScenarioDef fork_vs_spawn();
ScenarioDef threads_vs_processes();
ScenarioDef pipe();
ScenarioDef pool_apply_async();
ScenarioDef pool_map();

}  // namespace mpviz::scenarios
