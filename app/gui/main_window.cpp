#include "app/gui/main_window.hpp"

#include <imgui.h>

#include <algorithm>

#include "app/gui/panels.hpp"

namespace mpviz::gui {

void draw_main_window(AppState& s, TimelineView& timeline) {
  const ImGuiViewport* vp = ImGui::GetMainViewport();
  ImGui::SetNextWindowPos(vp->WorkPos);
  ImGui::SetNextWindowSize(vp->WorkSize);
  const ImGuiWindowFlags flags = ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove |
                                 ImGuiWindowFlags_NoSavedSettings |
                                 ImGuiWindowFlags_NoBringToFrontOnFocus;
  ImGui::Begin("mpviz", nullptr, flags);
  const ImGuiStyle& st = ImGui::GetStyle();
  const float fh = ImGui::GetFrameHeight();

  const float bar_h = 2 * fh + st.ItemSpacing.y + 2 * st.WindowPadding.y;
  ImGui::BeginChild("controls", ImVec2(0, bar_h), true);
  draw_control_bar(s);
  ImGui::EndChild();

  const float status_h = fh;
  const float body_h = ImGui::GetContentRegionAvail().y - status_h - st.ItemSpacing.y;
  const float left_w = std::clamp(vp->WorkSize.x * 0.24f, 240.0f, 360.0f);
  ImGui::BeginChild("scenarios", ImVec2(left_w, body_h), true);
  draw_scenario_panel(s);
  ImGui::EndChild();
  ImGui::SameLine();
  ImGui::BeginGroup();
  const float timeline_h = std::max(120.0f, (body_h - st.ItemSpacing.y) * 0.48f);
  ImGui::BeginChild("timeline", ImVec2(0, timeline_h), true, ImGuiWindowFlags_NoScrollbar);
  timeline.draw(s);
  ImGui::EndChild();
  ImGui::BeginChild("table", ImVec2(0, body_h - timeline_h - st.ItemSpacing.y), true);
  draw_event_table(s);
  ImGui::EndChild();
  ImGui::EndGroup();

  ImGui::AlignTextToFramePadding();
  draw_status_line(s);
  ImGui::End();
}

}  // namespace mpviz::gui
