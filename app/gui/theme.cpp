#include "app/gui/theme.hpp"

namespace mpviz::gui {
namespace {

bool g_light = false;
float g_scale = 1.0f;

// Process colours (labels, console, markers): hues kept away from the lane
// state colours (green, blue, red, amber, purple, pink, grey) and from the
// step-mode "held" cyan, so a name never reads as a state.
constexpr ImU32 kDarkPalette[] = {
    IM_COL32(212, 225, 87, 255),  IM_COL32(160, 160, 255, 255), IM_COL32(105, 240, 200, 255),
    IM_COL32(215, 185, 145, 255), IM_COL32(240, 240, 240, 255), IM_COL32(255, 245, 157, 255),
};
// Darker hues for a light background (projectors wash pastel colours out).
constexpr ImU32 kLightPalette[] = {
    IM_COL32(120, 110, 0, 255),  IM_COL32(48, 63, 159, 255), IM_COL32(0, 110, 90, 255),
    IM_COL32(109, 76, 65, 255),  IM_COL32(38, 50, 56, 255),  IM_COL32(150, 120, 0, 255),
};

}  // namespace

void apply_theme(bool light, float scale) {
  g_light = light;
  g_scale = scale;
  ImGuiStyle& s = ImGui::GetStyle();
  s = ImGuiStyle();
  if (light) ImGui::StyleColorsLight();
  else ImGui::StyleColorsDark();
  s.WindowRounding = 0;
  s.ChildRounding = 4;
  s.FrameRounding = 4;
  s.GrabRounding = 4;
  s.FramePadding = ImVec2(8, 4);
  s.ItemSpacing = ImVec2(8, 6);
  s.CellPadding = ImVec2(6, 2);
  s.WindowPadding = ImVec2(8, 8);
  ImVec4* c = s.Colors;
  if (light) {
    c[ImGuiCol_WindowBg] = ImVec4(kLightBgRgb.r / 255.0f, kLightBgRgb.g / 255.0f,
                                  kLightBgRgb.b / 255.0f, 1.0f);
    c[ImGuiCol_ChildBg] = ImVec4(1, 1, 1, 1);
    c[ImGuiCol_TableRowBgAlt] = ImVec4(0, 0, 0, 0.04f);
    c[ImGuiCol_Text] = ImVec4(0.05f, 0.05f, 0.08f, 1);
    // Inputs must stand out from the white panels.
    c[ImGuiCol_FrameBg] = ImVec4(0.85f, 0.87f, 0.91f, 1);
    c[ImGuiCol_FrameBgHovered] = ImVec4(0.78f, 0.84f, 0.95f, 1);
    c[ImGuiCol_Border] = ImVec4(0, 0, 0, 0.25f);
  } else {
    c[ImGuiCol_WindowBg] = ImVec4(0.11f, 0.12f, 0.14f, 1.0f);
    c[ImGuiCol_ChildBg] = ImVec4(0.14f, 0.15f, 0.18f, 1.0f);
    c[ImGuiCol_TableRowBgAlt] = ImVec4(1, 1, 1, 0.035f);
  }
  s.ScaleAllSizes(scale);
}

bool light_theme() { return g_light; }
float ui_scale() { return g_scale; }

void clear_color(float rgba[4]) {
  const ImVec4 c = ImGui::GetStyle().Colors[ImGuiCol_WindowBg];
  rgba[0] = c.x, rgba[1] = c.y, rgba[2] = c.z, rgba[3] = 1;
}

Rgb state_rgb(LaneState s) {
  switch (s) {
    case LaneState::Running: return {76, 175, 80};    // green: doing work
    case LaneState::Sleeping: return {92, 136, 218};  // blue: time.sleep()
    case LaneState::LockWait: return {229, 57, 53};   // red: blocked on a lock
    case LaneState::Holding: return {255, 179, 0};    // amber: inside the lock
    case LaneState::Joining: return {171, 71, 188};   // purple: waiting for a child
    case LaneState::Blocked: return {240, 98, 146};   // pink: semaphore/queue/pipe
    case LaneState::Exited: return {120, 124, 130};   // grey
    case LaneState::Killed: return {150, 30, 30};     // dark red
  }
  return {255, 255, 255};
}

ImU32 state_color(LaneState s) {
  Rgb c = state_rgb(s);
  return IM_COL32(c.r, c.g, c.b, 255);
}

ImU32 held_color() { return IM_COL32(kHeldRgb.r, kHeldRgb.g, kHeldRgb.b, 255); }

ImU32 process_color(int i) {
  if (i < 0) return g_light ? IM_COL32(60, 60, 60, 255) : IM_COL32(200, 200, 200, 255);
  if (g_light) return kLightPalette[i % (sizeof(kLightPalette) / sizeof(kLightPalette[0]))];
  return kDarkPalette[i % (sizeof(kDarkPalette) / sizeof(kDarkPalette[0]))];
}

ImVec4 process_color_v(int i) { return ImGui::ColorConvertU32ToFloat4(process_color(i)); }

ImVec4 accent_text() { return g_light ? ImVec4(0.62f, 0.36f, 0.0f, 1) : ImVec4(1.0f, 0.85f, 0.45f, 1); }

ImU32 dim_text() { return g_light ? IM_COL32(100, 100, 110, 255) : IM_COL32(150, 150, 160, 255); }
ImU32 strong_text() { return g_light ? IM_COL32(20, 20, 30, 255) : IM_COL32(230, 230, 235, 255); }

}  // namespace mpviz::gui
