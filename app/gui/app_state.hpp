// The window's state: UI choices (language, scenario, parameters, method,
// speed) and the RunModel they act on. The views read and change it; they
// keep almost no state of their own.
#pragma once
#include <string>
#include <vector>

#include "app/gui/run_model.hpp"
#include "app/gui/ui_text.hpp"
#include "engine/params.hpp"
#include "engine/scenario.hpp"

namespace mpviz::gui {

struct AppState {
  Lang lang = Lang::Zh;
  const ScenarioList* scenarios = nullptr;
  int selected = 0;
  std::vector<ParamValues> params;  // one per scenario, edited in the control bar
  bool spawn = false;               // start method: false = fork
  float speed = 1.0f;               // 0.1 .. 100 (log slider)
  bool skip_sleeps = false;         // speed 0
  std::string exe;                  // this binary, for the supervisor
  RunModel run;
  std::string message;              // last error, shown in the status line

  const ScenarioDef& scenario() const { return (*scenarios)[static_cast<size_t>(selected)]; }
  void start_run();
  void stop_run();
};

// Title / explanation of a scenario in the UI language.
const std::string& scenario_title(const ScenarioInfo& s, Lang lang);
const std::string& scenario_explain(const ScenarioInfo& s, Lang lang);

}  // namespace mpviz::gui
