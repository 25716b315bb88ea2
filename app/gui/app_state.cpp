#include "app/gui/app_state.hpp"

namespace mpviz::gui {

void AppState::start_run() {
  const ScenarioDef& def = scenario();
  RunRequest req;
  req.scenario = def.info.name;
  req.method = spawn ? rt::StartMethod::Spawn : rt::StartMethod::Fork;
  req.speed = skip_sleeps ? 0.0 : static_cast<double>(speed);
  req.params = params[static_cast<size_t>(selected)];
  req.exe = exe;
  std::string err = run.start(req);
  message = err.empty() ? std::string() : std::string(tr(T::CannotStart, lang)) + ": " + err;
}

void AppState::stop_run() { run.stop(); }

const std::string& scenario_title(const ScenarioInfo& s, Lang lang) {
  return lang == Lang::Zh ? s.title_zh : s.title_en;
}

const std::string& scenario_explain(const ScenarioInfo& s, Lang lang) {
  return lang == Lang::Zh ? s.explain_zh : s.explain_en;
}

}  // namespace mpviz::gui
