// Colours and sizes shared by the views: the ImGui style (dark or light),
// the UI scale (projector mode), one colour per lane state (also used by the
// screenshot test's pixel checker: keep tests/gui/check_screenshot.cpp in
// step), a palette for processes, and the sync panel's colours.
#pragma once
#include <imgui.h>

#include "app/gui/lane_model.hpp"

namespace mpviz::gui {

inline constexpr float kFontSize = 18.0f;

// light: the projector theme; scale: 1.0 .. 2.5 (sizes, not the font).
void apply_theme(bool light, float scale);
bool light_theme();
float ui_scale();                // multiply every pixel constant by it
inline float px(float v) { return v * ui_scale(); }
void clear_color(float rgba[4]);  // the window background, for glClear

struct Rgb {
  unsigned char r, g, b;
};
Rgb state_rgb(LaneState s);
ImU32 state_color(LaneState s);
// Step mode: a process held at its gate before its next operation.
inline constexpr Rgb kHeldRgb = {0, 188, 212};
ImU32 held_color();
// Colour of the i-th process (labels, console lines, source markers).
ImU32 process_color(int i);
ImVec4 process_color_v(int i);
// Text colours that read on both themes.
ImU32 dim_text();
ImU32 strong_text();
ImVec4 accent_text();  // titles

// Sync panel: queue item boxes (exact colour: the screenshot test counts it).
inline constexpr Rgb kQueueBoxRgb = {38, 166, 154};
inline constexpr Rgb kHeldBgRgb = {74, 52, 18};      // the held-operations panel
inline constexpr Rgb kLightBgRgb = {240, 240, 242};  // light theme's window bg
// Timeline: the end of a process that exited with a nonzero code (a student's
// uncaught exception): exact colour, the screenshot test counts it.
inline constexpr Rgb kFailedExitRgb = {255, 61, 0};

}  // namespace mpviz::gui
