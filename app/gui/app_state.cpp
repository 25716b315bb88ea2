#include "app/gui/app_state.hpp"

#include <climits>
#include <cstdlib>
#include <filesystem>
#include <unistd.h>

#include "app/data_dir.hpp"
#include "app/python_program.hpp"

namespace mpviz::gui {
namespace {

bool same_file(const std::string& a, const std::string& b) {
  std::error_code ec;
  return std::filesystem::equivalent(a, b, ec);
}

}  // namespace

std::string AppState::run_request(RunRequest& req) {
  if (python_mode()) {
    // The same checks and request as `mpviz run PROGRAM.py`; parameters do
    // not apply (the program has its own values), method and speed do.
    PythonRun pr;
    pr.program = python_file();
    pr.method = spawn ? rt::StartMethod::Spawn : rt::StartMethod::Fork;
    pr.forkserver = forkserver;
    pr.speed = skip_sleeps ? 0.0 : static_cast<double>(speed);
    pr.exe = exe;
    pr.start_held = settings.start_held;
    pr.python = settings.python;
    if (pr.program.empty()) return tr(T::NoListing, lang);
    std::string why = python_run_request(pr, req);
    req.limits = default_run_limits();  // as `mpviz run`: a runaway program is stopped
    return why;
  }
  const ScenarioDef& def = scenario();
  req.scenario = def.info.name;
  req.method = spawn ? rt::StartMethod::Spawn : rt::StartMethod::Fork;
  req.speed = skip_sleeps ? 0.0 : static_cast<double>(speed);
  req.params = params[static_cast<size_t>(selected)];
  req.exe = exe;
  req.start_held = settings.start_held;
  req.limits = default_run_limits();  // as `mpviz run`: a runaway program is stopped
  return "";
}

void AppState::start_run() {
  RunRequest req;
  if (std::string why = run_request(req); !why.empty()) {
    message = std::string(tr(T::CannotStart, lang)) + ": " + why;
    error_popup = std::string(tr(T::CannotRunProgram, lang)) + "\n" + why;
    return;
  }
  replay = LiveReplay{};
  std::string err = run.start(req);
  message = err.empty() ? std::string() : std::string(tr(T::CannotStart, lang)) + ": " + err;
  cursor_ns = kCursorNow;
  playing = false;
  pending.clear();
  held = settings.start_held && run.live();
}

void AppState::start_explore() {
  RunRequest req;
  if (std::string why = run_request(req); !why.empty()) {
    error_popup = std::string(tr(T::CannotRunProgram, lang)) + "\n" + why;
    return;
  }
  req.speed = 0;  // explore varies the order, not the time
  static const char* kStrategies[] = {"random", "pct", "systematic"};
  explore.start(req, explore_runs, kStrategies[explore_strategy], 1);
}

void AppState::open_explore_group(size_t i) {
  if (i >= explore_groups.size()) return;
  Recording rec;
  rec.header.scenario = python_mode() ? python_file() : scenario().info.name;
  rec.header.method = spawn ? "spawn" : "fork";
  rec.events = explore_groups[i].events;
  replay = LiveReplay{};
  run.load(std::move(rec), "");
  cursor_ns = 0;
  playing = false;
}

void AppState::replay_explore_group(size_t i) {
  if (i >= explore_groups.size()) return;
  RunRequest req;
  if (std::string why = run_request(req); !why.empty()) {
    error_popup = std::string(tr(T::CannotRunProgram, lang)) + "\n" + why;
    return;
  }
  req.speed = 0;
  req.start_held = true;
  replay = LiveReplay{};
  replay.strategy = explore::replay_strategy(explore_groups[i].steps);
  explore::DriveLimits lim;
  lim.max_seconds = 3600;
  lim.min_step_ms = 250;  // slow enough to watch each step
  replay.driver = std::make_unique<explore::StepDriver>(*replay.strategy, lim);
  replay.total_steps = static_cast<int>(explore_groups[i].steps.size());
  std::string err = run.start(req);
  message = err.empty() ? std::string() : std::string(tr(T::CannotStart, lang)) + ": " + err;
  if (!err.empty()) replay = LiveReplay{};
  cursor_ns = kCursorNow;
  playing = false;
  pending.clear();
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
  if (replay.driver && run.live()) tick_replay();
  if (explore.generation() != explore_seen) {
    explore_seen = explore.generation();
    explore_groups = explore.groups();
  }
  analysis.update(run, now_s);
  sync.update(run, cursor_ns);
}

void AppState::tick_replay() {
  // Feed the driver what is new (everything again after a rewrite: its
  // state only depends on the events in order).
  if (run.rewrite_generation() != replay.rewrite_gen) {
    replay.rewrite_gen = run.rewrite_generation();
    replay.fed = 0;
  }
  const auto& evs = run.events();
  if (replay.fed < evs.size()) {
    std::vector<Event> fresh(evs.begin() + static_cast<std::ptrdiff_t>(replay.fed), evs.end());
    replay.driver->on_events(fresh);
    replay.fed = evs.size();
  }
  StepControl* sc = run.steps();
  if (!sc || !replay.verdict.empty()) return;
  auto d = replay.driver->tick(sc->pending());
  if (d.grant && sc->step_pid(d.grant)) replay.driver->granted(d.grant);
  // A deadlock stays on screen (the stuck banner explains it); Stop ends it.
  if (!d.verdict.empty()) replay.verdict = d.verdict;
}

void AppState::open_recording(const std::string& path) {
  LoadResult r = load_jsonl_file(path);
  if (!r.recording) {
    error_popup = path + "\n" + r.error;
    return;
  }
  select_recorded(r.recording->header.scenario);
  run.load(std::move(*r.recording), path);
  cursor_ns = 0;
  playing = false;
  info_line = r.warning.empty() ? std::string() : tr(T::Warning, lang) + (": " + r.warning);
}

void AppState::select_recorded(const std::string& recorded) {
  if (is_python_path(recorded)) {
    // A Python run: select its program so the source panel shows it (a
    // scenario's own listing selects the scenario, "as Python").
    bool listing = false;
    for (size_t i = 0; i < scenarios->size(); ++i) {
      const std::string lp = listing_path((*scenarios)[i].info);
      if (!lp.empty() && same_file(lp, recorded)) {
        select_scenario(static_cast<int>(i));
        as_python = listing = true;
      }
    }
    if (!listing && access(recorded.c_str(), R_OK) == 0) {
      program = recorded;
      program_selected = true;
    }
  } else {
    for (size_t i = 0; i < scenarios->size(); ++i)
      if ((*scenarios)[i].info.name == recorded) {
        select_scenario(static_cast<int>(i));
        as_python = false;  // a C++ run
      }
  }
}

bool AppState::open_program(const std::string& path) {
  const std::string why = check_python_program(path);
  if (!why.empty()) {
    error_popup = std::string(tr(T::CannotOpenProgram, lang)) + "\n" + why;
    return false;
  }
  char resolved[PATH_MAX];
  program = realpath(path.c_str(), resolved) ? resolved : path;
  program_selected = true;
  info_line.clear();
  return true;
}

void AppState::open_file(const std::string& path) {
  if (is_python_path(path)) open_program(path);
  else open_recording(path);
}

void AppState::select_scenario(int i) {
  selected = i;
  program_selected = false;
}

std::string AppState::python_file() const {
  if (program_selected) return program;
  return listing_path(scenario().info);
}

std::string AppState::target_title() const {
  if (program_selected) return std::filesystem::path(program).filename().string();
  return scenario_title(scenario().info, lang);
}

std::string AppState::target_slug() const {
  if (program_selected) return std::filesystem::path(program).stem().string();
  return scenario().info.name;
}

std::string listing_path(const ScenarioInfo& s) {
  if (s.listing_file.empty()) return {};
  return data_path("listings/" + s.listing_file);
}

const std::string& scenario_title(const ScenarioInfo& s, Lang lang) {
  return lang == Lang::Zh ? s.title_zh : s.title_en;
}

const std::string& scenario_explain(const ScenarioInfo& s, Lang lang) {
  return lang == Lang::Zh ? s.explain_zh : s.explain_en;
}

}  // namespace mpviz::gui
