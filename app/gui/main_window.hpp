// The one full-window layout (ImGui 1.86 has no docking): control bar on top,
// scenario list on the left, timeline above the event table in the centre,
// status line at the bottom.
#pragma once
#include "app/gui/app_state.hpp"
#include "app/gui/timeline_view.hpp"

namespace mpviz::gui {

void draw_main_window(AppState& s, TimelineView& timeline);

}  // namespace mpviz::gui
