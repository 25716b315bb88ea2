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
  req.start_held = settings.start_held;
  std::string err = run.start(req);
  message = err.empty() ? std::string() : std::string(tr(T::CannotStart, lang)) + ": " + err;
  cursor_ns = kCursorNow;
  playing = false;
  pending.clear();
  held = settings.start_held && run.live();
}

void AppState::stop_run() { run.request_stop(); }

void AppState::toggle_pause() {
  StepControl* sc = run.steps();
  if (!sc) return;
  if (sc->held()) sc->run_free();
  else sc->hold();
  held = sc->held();
}

void AppState::step() {
  if (StepControl* sc = run.steps()) sc->step_oldest();
}

void AppState::step_pid(int32_t pid) {
  if (StepControl* sc = run.steps()) sc->step_pid(pid);
}

void AppState::set_live_speed() { run.set_speed(skip_sleeps ? 0.0 : static_cast<double>(speed)); }

void AppState::set_lang(Lang l) {
  lang = l;
  settings.lang = l == Lang::En ? "en" : "zh";
}

void AppState::refresh(double now_s) {
  run.poll();
  if (StepControl* sc = run.steps()) {
    held = sc->held();
    // pending() allocates: ask only while something can be pending.
    if (held || !pending.empty()) pending = sc->pending();
  } else {
    held = false;
    pending.clear();
  }
  analysis.update(run, now_s);
  sync.update(run, cursor_ns);
}

void AppState::open_recording(const std::string& path) {
  LoadResult r = load_jsonl_file(path);
  if (!r.recording) {
    error_popup = path + "\n" + r.error;
    return;
  }
  for (size_t i = 0; i < scenarios->size(); ++i)
    if ((*scenarios)[i].info.name == r.recording->header.scenario) selected = static_cast<int>(i);
  run.load(std::move(*r.recording), path);
  cursor_ns = 0;
  playing = false;
  info_line = r.warning.empty() ? std::string() : tr(T::Warning, lang) + (": " + r.warning);
}

const std::string& scenario_title(const ScenarioInfo& s, Lang lang) {
  return lang == Lang::Zh ? s.title_zh : s.title_en;
}

const std::string& scenario_explain(const ScenarioInfo& s, Lang lang) {
  return lang == Lang::Zh ? s.explain_zh : s.explain_en;
}

}  // namespace mpviz::gui
