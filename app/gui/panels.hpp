// The window's panels. Each draws into the current ImGui window/child and
// reads or changes AppState; none keeps state of its own except where noted.
#pragma once
#include "app/gui/app_state.hpp"

namespace mpviz::gui {

void draw_scenario_panel(AppState& s);  // scenario_panel.cpp
void draw_control_bar(AppState& s);     // control_bar.cpp
void draw_event_table(AppState& s);     // event_table.cpp
void draw_status_line(AppState& s);     // status_line.cpp

// Keyboard shortcuts (R run, Esc stop); ignored while a text field is active.
void handle_shortcuts(AppState& s);     // control_bar.cpp

}  // namespace mpviz::gui
