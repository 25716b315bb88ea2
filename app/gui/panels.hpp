// The window's panels. Each draws into the current ImGui window/child and
// reads or changes AppState; none keeps state of its own except where noted.
#pragma once
#include "app/gui/app_state.hpp"

namespace mpviz::gui {

void draw_scenario_panel(AppState& s);  // scenario_panel.cpp
void draw_control_bar(AppState& s);     // control_bar.cpp: run, stop, method, speed, params
void draw_teacher_bar(AppState& s);     // teacher_bar.cpp: pause, step, restart, step mode
void draw_held_panel(AppState& s);      // held_panel.cpp: held operations, step per process
void draw_stuck_banner(AppState& s);    // stuck_banner.cpp: deadlock / dead holder hint
float stuck_banner_height(const AppState& s);
void draw_sync_panel(AppState& s);      // sync_panel.cpp: locks, semaphores, queues, pipes, values
// sync_panel.cpp: a lost update explained in the UI language.
std::string lost_update_text(const AppState& s, const LostUpdate& u);
void draw_console_panel(AppState& s);   // console_panel.cpp: prints, coloured by lane
void draw_source_panel(AppState& s);    // source_panel.cpp: listing with process markers
void draw_replay_bar(AppState& s);      // replay_bar.cpp: scrubber, play/pause, speed
void draw_event_table(AppState& s);     // event_table.cpp
void draw_explore_panel(AppState& s);   // explore_panel.cpp: outcomes of many runs, replay
void draw_status_line(AppState& s);     // status_line.cpp
void draw_menu_bar(AppState& s);        // menu_bar.cpp: File / View / Help + file popups
void draw_help_window(AppState& s);     // help_window.cpp
void draw_error_popup(AppState& s);     // menu_bar.cpp
// File > Open Python program: a path field and a small file browser
// (open_program_dialog.cpp; keeps the browser's directory between openings).
void request_open_program_dialog(const AppState& s);
void draw_open_program_dialog(AppState& s);

// Keyboard shortcuts (Space, S/Right, R, Esc, +/-, F1); ignored while a text
// field is active. Returns a zoom factor for the timeline (1: none).
double handle_shortcuts(AppState& s);   // teacher_bar.cpp

}  // namespace mpviz::gui
