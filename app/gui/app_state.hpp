// The window's state: UI choices (language, scenario, parameters, method,
// speed, theme), the RunModel they act on, the time cursor, and the derived
// views' caches (sync state at the cursor, analysis, pending operations).
// The views read and change it; they keep almost no state of their own.
#pragma once
#include <string>
#include <vector>

#include "app/gui/run_analysis.hpp"
#include "app/gui/run_model.hpp"
#include "app/gui/settings.hpp"
#include "app/gui/sync_cursor.hpp"
#include "app/gui/ui_text.hpp"
#include "engine/params.hpp"
#include "engine/scenario.hpp"
#include "engine/step_control.hpp"

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

  // Requests to the frame loop and popups.
  std::string screenshot_request;  // write a PNG of the window after this frame
  std::string error_popup;         // shown in a modal until closed
  std::string info_line;           // "saved to ..." in the status line
  bool show_help = false;
  bool quit_request = false;

  const ScenarioDef& scenario() const { return (*scenarios)[static_cast<size_t>(selected)]; }
  int64_t cursor_time() const { return cursor_ns == kCursorNow ? run.now_ns() : cursor_ns; }
  void start_run();
  void stop_run();        // non-blocking (request_stop)
  void toggle_pause();    // Space
  void step();            // S / Right: the oldest pending operation
  void step_pid(int32_t pid);
  void set_live_speed();  // after the speed slider moved
  void set_lang(Lang l);  // from the UI: remembered
  // Once per frame, before drawing: pending operations, analysis, sync state.
  void refresh(double now_s);
  // Open a recording (menu, drag and drop); errors go to error_popup.
  void open_recording(const std::string& path);
};

// Title / explanation of a scenario in the UI language.
const std::string& scenario_title(const ScenarioInfo& s, Lang lang);
const std::string& scenario_explain(const ScenarioInfo& s, Lang lang);

}  // namespace mpviz::gui
