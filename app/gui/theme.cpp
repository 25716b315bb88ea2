#include "app/gui/theme.hpp"

namespace mpviz::gui {

void apply_theme() {
  ImGui::StyleColorsDark();
  ImGuiStyle& s = ImGui::GetStyle();
  s.WindowRounding = 0;
  s.ChildRounding = 4;
  s.FrameRounding = 4;
  s.GrabRounding = 4;
  s.FramePadding = ImVec2(8, 4);
  s.ItemSpacing = ImVec2(8, 6);
  s.CellPadding = ImVec2(6, 2);
  s.WindowPadding = ImVec2(8, 8);
  ImVec4* c = s.Colors;
  c[ImGuiCol_WindowBg] = ImVec4(0.11f, 0.12f, 0.14f, 1.0f);
  c[ImGuiCol_ChildBg] = ImVec4(0.14f, 0.15f, 0.18f, 1.0f);
  c[ImGuiCol_TableRowBgAlt] = ImVec4(1, 1, 1, 0.035f);
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

namespace {
constexpr ImU32 kPalette[] = {
    IM_COL32(128, 222, 234, 255), IM_COL32(255, 213, 79, 255),  IM_COL32(206, 147, 216, 255),
    IM_COL32(165, 214, 167, 255), IM_COL32(144, 202, 249, 255), IM_COL32(255, 171, 145, 255),
    IM_COL32(230, 238, 156, 255), IM_COL32(244, 143, 177, 255),
};
}  // namespace

ImU32 process_color(int i) {
  if (i < 0) return IM_COL32(200, 200, 200, 255);
  return kPalette[i % (sizeof(kPalette) / sizeof(kPalette[0]))];
}

ImVec4 process_color_v(int i) { return ImGui::ColorConvertU32ToFloat4(process_color(i)); }

}  // namespace mpviz::gui
