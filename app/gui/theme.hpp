// Colours and sizes shared by the views: the ImGui style, one colour per lane
// state (also used by the screenshot test's pixel checker: keep
// tests/gui/check_screenshot.cpp in step), and a palette for processes.
#pragma once
#include <imgui.h>

#include "app/gui/lane_model.hpp"

namespace mpviz::gui {

inline constexpr float kFontSize = 18.0f;

void apply_theme();

struct Rgb {
  unsigned char r, g, b;
};
Rgb state_rgb(LaneState s);
ImU32 state_color(LaneState s);
// Colour of the i-th process (labels, pid column).
ImU32 process_color(int i);
ImVec4 process_color_v(int i);

}  // namespace mpviz::gui
