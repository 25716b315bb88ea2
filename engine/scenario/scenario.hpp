// What a scenario is: its description (name, titles, explanation, params) for
// the CLI and GUI, and its program (module init, main, child entry points)
// for the runtime. Scenarios live in scenarios/, one file each; the list is
// built explicitly by scenarios::all() (no static-registration magic).
#pragma once
#include <functional>
#include <string>
#include <vector>

#include "engine/scenario/params.hpp"
#include "engine/scenario/args.hpp"

namespace mpviz {

struct ScenarioInfo {
  std::string name;        // CLI name, e.g. "lock"
  std::string section;     // tutorial section, e.g. "4"
  std::string title_zh, title_en;
  std::string explain_zh, explain_en;  // one paragraph: what to watch for
  std::string listing_file;            // Python listing under assets/listings/
  std::vector<ParamSpec> params;
  bool runs_forever = false;           // stops only with --duration / Stop
};

// A child entry point: what a Process runs, named so that a spawned child
// (a fresh exec of the binary) can find it, the way pickle names functions.
struct EntryDef {
  std::string name;
  std::function<void(const rt::Args&)> fn;
};

// A function a Pool task can name; returns the task's result as text.
struct PoolFuncDef {
  std::string name;
  std::function<std::string(const rt::Args&)> fn;
};

struct ScenarioDef {
  ScenarioInfo info;
  // Builds module-level globals. Runs in main and again in every spawned
  // child (Python's spawn re-imports __main__); forked children inherit them.
  std::function<void(const ParamValues&)> module_init;
  std::function<void(const ParamValues&)> main;
  std::vector<EntryDef> entries;
  std::vector<PoolFuncDef> pool_funcs;
};

using ScenarioList = std::vector<ScenarioDef>;

const ScenarioDef* find_scenario(const ScenarioList& list, const std::string& name);

}  // namespace mpviz
