// The window's state: UI choices (language, scenario, parameters, method,
// speed, theme), the RunModel they act on, the time cursor, and the derived
// views' caches (sync state at the cursor, analysis, pending operations).
// The views read and change it; they keep almost no state of their own.
#pragma once
#include <array>
#include <string>
#include <vector>

#include "app/gui/explore_session.hpp"
#include "app/gui/run_analysis.hpp"
#include "app/gui/run_model.hpp"
#include "app/gui/settings.hpp"
#include "app/gui/sync_cursor.hpp"
#include "app/gui/ui_text.hpp"
#include "engine/scenario/params.hpp"
#include "engine/scenario/scenario.hpp"
#include "engine/control/step_control.hpp"

namespace mpviz::gui {

struct AppState {
  Lang lang = Lang::Zh;
  const ScenarioList* scenarios = nullptr;
  int selected = 0;
  std::vector<ParamValues> params;  // one per scenario, edited in the control bar
  bool spawn = false;               // start method: false = fork
  bool forkserver = false;          // CPython's forkserver (Python programs only; wins over spawn)
  float speed = 1.0f;               // 0.1 .. 100 (log slider)
  bool skip_sleeps = false;         // speed 0
  std::string exe;                  // this binary, for the supervisor
  // Python mode. `program`: a Python program the user opened (absolute
  // path; listed under the scenarios); `program_selected`: it, not
  // scenarios[selected], is what Run runs. `as_python`: a built-in scenario
  // runs its listing (assets/listings/...) under CPython instead of C++.
  std::string program;
  bool program_selected = false;
  bool as_python = false;
  RunModel run;
  std::string message;              // last error, shown in the status line

  // Remembered between runs (settings.cpp); `settings_loaded` is what the
  // file said, so the window writes it back only when the user changed it.
  Settings settings, settings_loaded;
  std::string settings_file;

  // The time cursor (ns in the run's time base) or kCursorNow (follow live).
  int64_t cursor_ns = kCursorNow;
  int32_t focus_pid = 0;  // hovered / selected process (flows, source marker)

  // Derived, refreshed once per frame by refresh().
  SyncCursor sync;
  RunAnalysis analysis;
  std::vector<PendingOp> pending;  // held operations, oldest first
  bool held = false;               // step mode: everything stops at its next operation

  // Replay of a loaded recording.
  bool playing = false;
  float play_speed = 1.0f;  // 0.25 .. 8

  // The Explore tab: many runs in the background, grouped by outcome (a
  // copy refreshed when the session's generation moves), and the live
  // replay of one outcome's schedule on `run`.
  ExploreSession explore;
  std::vector<ExploreGroup> explore_groups;
  uint64_t explore_seen = 0;
  int explore_runs = 20;
  int explore_strategy = 0;  // 0 random, 1 pct, 2 systematic
  LiveReplay replay;
  bool explore_tab_request = false;  // select the Explore tab (--explore)

  // Requests to the frame loop and popups.
  std::string screenshot_request;  // write a PNG of the window after this frame
  int screenshot_delay = 0;        // ...after this many more frames (the dialog that asked is gone)
  std::array<float, 4> timeline_rect{};  // x, y, w, h of the timeline panel (window pixels)
  std::string error_popup;         // shown in a modal until closed
  std::string info_line;           // "saved to ..." in the status line
  bool show_help = false;
  bool quit_request = false;

  const ScenarioDef& scenario() const { return (*scenarios)[static_cast<size_t>(selected)]; }
  // Run runs a Python program (an opened one, or a scenario "as Python").
  bool python_mode() const { return program_selected || as_python; }
  // The Python text of what is selected: the opened program, else the
  // scenario's listing ("" when it has none).
  std::string python_file() const;
  // What is selected, for titles and file names: the scenario's title, or
  // the program's file name; slug: the scenario's name or the file's stem.
  std::string target_title() const;
  std::string target_slug() const;
  void select_scenario(int i);
  int64_t cursor_time() const { return cursor_ns == kCursorNow ? run.now_ns() : cursor_ns; }
  void start_run();
  // What Run would start, from the current choices; "" or why it cannot.
  std::string run_request(RunRequest& req);
  // The Explore tab's buttons.
  void start_explore();
  void open_explore_group(size_t i);
  void replay_explore_group(size_t i);
  void stop_run();        // non-blocking (request_stop)
  void toggle_pause();    // Space
  void step();            // S / Right: the oldest pending operation
  void step_pid(int32_t pid);
  void set_live_speed();  // after the speed slider moved
  void set_lang(Lang l);  // from the UI: remembered
  // Once per frame, before drawing: pending operations, analysis, sync state.
  void refresh(double now_s);
  void tick_replay();  // the live replay's next decision (refresh)
  // Open a recording (menu, drag and drop); errors go to error_popup.
  void open_recording(const std::string& path);
  // Select what a recording ran: its scenario, or for a Python run its
  // program (a scenario's own listing: that scenario, "as Python").
  void select_recorded(const std::string& recorded);
  // Open a Python program and select it (menu, drag and drop, --open):
  // checked first; false with the reason in error_popup when it cannot run.
  bool open_program(const std::string& path);
  // Drag and drop: a .py is a program, anything else a recording.
  void open_file(const std::string& path);
};

// A scenario's Python listing (assets/listings/<listing_file>), or "".
std::string listing_path(const ScenarioInfo& s);
// Title / explanation of a scenario in the UI language.
const std::string& scenario_title(const ScenarioInfo& s, Lang lang);
const std::string& scenario_explain(const ScenarioInfo& s, Lang lang);

}  // namespace mpviz::gui
