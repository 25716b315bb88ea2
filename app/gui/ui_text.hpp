// The GUI's own strings in Chinese and English, looked up by id. One table,
// so the font loader can feed every string to the glyph-range builder.
#pragma once

namespace mpviz::gui {

enum class Lang { Zh, En };

enum class T {
  WindowScenarios,
  Run,
  Stop,
  Method,
  Speed,
  SkipSleeps,
  SkipSleepsHelp,
  Parameters,
  Language,
  ColTime,
  ColPid,
  ColName,
  ColKind,
  ColDetails,
  StatusIdle,
  StatusRunning,
  StatusFinished,
  StatusStopped,
  StatusFailed,
  StatusRecording,
  Events,
  Alive,
  Processes,
  Timeline,
  EventTable,
  Follow,
  FitAll,
  TimelineHint,
  StateRunning,
  StateSleeping,
  StateLockWait,
  StateHolding,
  StateJoining,
  StateBlocked,
  StateExited,
  StateKilled,
  NoEvents,
  CannotStart,
  RangeFmt,
  Shortcuts,
  Count_,  // keep last
};

const char* tr(T id, Lang lang);
// Every string of the table in both languages, for the glyph-range builder.
// Calls fn(const char*) once per string.
template <class Fn>
void for_each_ui_string(Fn&& fn) {
  for (int i = 0; i < static_cast<int>(T::Count_); ++i) {
    fn(tr(static_cast<T>(i), Lang::Zh));
    fn(tr(static_cast<T>(i), Lang::En));
  }
}

}  // namespace mpviz::gui
