// The window's layout: menu bar; control rows (run, parameters, teacher);
// the stuck banner; scenarios on the left; the timeline, the scrubber and
// console/events + source in the middle; held operations and the sync
// objects on the right; the status line. Sized from the viewport and the UI
// scale so 1280x800 and a 1920x1080 projector both fit.
#include "app/gui/main_window.hpp"

#include <imgui.h>

#include <algorithm>

#include "app/gui/panels.hpp"
#include "app/gui/theme.hpp"

namespace mpviz::gui {

void draw_main_window(AppState& s, TimelineView& timeline) {
  const ImGuiViewport* vp = ImGui::GetMainViewport();
  ImGui::SetNextWindowPos(vp->WorkPos);
  ImGui::SetNextWindowSize(vp->WorkSize);
  const ImGuiWindowFlags flags = ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove |
                                 ImGuiWindowFlags_NoSavedSettings | ImGuiWindowFlags_MenuBar |
                                 ImGuiWindowFlags_NoBringToFrontOnFocus |
                                 // glClear already paints WindowBg (clear_color): a
                                 // second full-window fill costs llvmpipe ~1 screen.
                                 ImGuiWindowFlags_NoBackground;
  ImGui::Begin("mpviz", nullptr, flags);
  {
    // NoBackground also drops the window's outer border: draw it as Begin would.
    const ImGuiStyle& st = ImGui::GetStyle();
    if (st.WindowBorderSize > 0) {
      ImDrawList* dl = ImGui::GetWindowDrawList();
      const ImVec2 p = ImGui::GetWindowPos(), sz = ImGui::GetWindowSize();
      dl->PushClipRect(p, ImVec2(p.x + sz.x, p.y + sz.y), false);
      dl->AddRect(p, ImVec2(p.x + sz.x, p.y + sz.y), ImGui::GetColorU32(ImGuiCol_Border), st.WindowRounding,
                  0, st.WindowBorderSize);
      dl->PopClipRect();
    }
  }
  draw_menu_bar(s);
  const ImGuiStyle& st = ImGui::GetStyle();
  const float fh = ImGui::GetFrameHeight();

  const float bar_h = 3 * fh + 2 * st.ItemSpacing.y + 2 * st.WindowPadding.y;
  ImGui::BeginChild("controls", ImVec2(0, bar_h), true, ImGuiWindowFlags_HorizontalScrollbar);
  draw_control_bar(s);
  draw_teacher_bar(s);
  ImGui::EndChild();
  draw_stuck_banner(s);

  const float status_h = fh;
  const float body_h = ImGui::GetContentRegionAvail().y - status_h - st.ItemSpacing.y;
  const float w = vp->WorkSize.x;
  const float left_w = std::clamp(w * 0.19f, px(200), px(330));
  const float right_w = std::clamp(w * 0.26f, px(300), px(520));
  const float mid_w = w - left_w - right_w - 2 * st.ItemSpacing.x - 2 * st.WindowPadding.x;

  ImGui::BeginChild("scenarios", ImVec2(left_w, body_h), true);
  draw_scenario_panel(s);
  ImGui::EndChild();
  ImGui::SameLine();

  ImGui::BeginGroup();
  const float scrub_h = fh;
  const float timeline_h = std::max(px(140), (body_h - scrub_h - 2 * st.ItemSpacing.y) * 0.6f);
  ImGui::BeginChild("timeline", ImVec2(mid_w, timeline_h), true, ImGuiWindowFlags_NoScrollbar);
  {
    const ImVec2 p = ImGui::GetWindowPos(), sz = ImGui::GetWindowSize();
    s.timeline_rect = {p.x, p.y, sz.x, sz.y};  // File > Export PNG crops to it
  }
  timeline.draw(s);
  ImGui::EndChild();
  ImGui::PushItemWidth(mid_w);
  ImGui::BeginChild("scrubber", ImVec2(mid_w, scrub_h), false, ImGuiWindowFlags_NoScrollbar);
  draw_replay_bar(s);
  ImGui::EndChild();
  ImGui::PopItemWidth();
  const float bottom_h = body_h - timeline_h - scrub_h - 2 * st.ItemSpacing.y;
  const float console_w = (mid_w - st.ItemSpacing.x) * 0.46f;
  ImGui::BeginChild("bottom_left", ImVec2(console_w, bottom_h), true);
  if (ImGui::BeginTabBar("bottom_tabs")) {
    if (ImGui::BeginTabItem(tr(T::Console, s.lang))) {
      ImGui::BeginChild("console");
      draw_console_panel(s);
      ImGui::EndChild();
      ImGui::EndTabItem();
    }
    if (ImGui::BeginTabItem(tr(T::EventTable, s.lang))) {
      draw_event_table(s);
      ImGui::EndTabItem();
    }
    if (ImGui::BeginTabItem(tr(T::ExploreTab, s.lang), nullptr, s.explore_tab_request ? ImGuiTabItemFlags_SetSelected : 0)) {
      ImGui::BeginChild("explore");
      draw_explore_panel(s);
      ImGui::EndChild();
      ImGui::EndTabItem();
    }
    s.explore_tab_request = false;
    ImGui::EndTabBar();
  }
  ImGui::EndChild();
  ImGui::SameLine();
  ImGui::BeginChild("source", ImVec2(mid_w - console_w - st.ItemSpacing.x, bottom_h), true);
  draw_source_panel(s);
  ImGui::EndChild();
  ImGui::EndGroup();
  ImGui::SameLine();

  ImGui::BeginGroup();
  const bool show_held = s.run.live() && (s.held || !s.pending.empty());
  float held_h = 0;
  if (show_held) {
    // Title line + the wrapped hint + one button row per held operation
    // (up to 6 before it scrolls), capped at half the column.
    const float inner_w = right_w - 2 * st.WindowPadding.x - st.ScrollbarSize;
    const float line = ImGui::GetTextLineHeightWithSpacing();
    float content = line;
    if (s.pending.empty()) {
      content += line;
    } else {
      const float hint = ImGui::CalcTextSize(tr(T::HeldHint, s.lang), nullptr, false, inner_w).y;
      content += hint + st.ItemSpacing.y + ImGui::GetTextLineHeight() * 0.5f;  // CJK wraps a bit earlier
      const float rows = static_cast<float>(std::min<size_t>(s.pending.size(), 6));
      content += rows * ImGui::GetFrameHeightWithSpacing();
    }
    held_h = std::min(body_h * 0.5f, content + 2 * st.WindowPadding.y);
    ImGui::BeginChild("held", ImVec2(right_w, held_h), true);
    draw_held_panel(s);
    ImGui::EndChild();
  }
  ImGui::BeginChild("sync", ImVec2(right_w, body_h - held_h - (show_held ? st.ItemSpacing.y : 0)), true);
  draw_sync_panel(s);
  ImGui::EndChild();
  ImGui::EndGroup();

  ImGui::AlignTextToFramePadding();
  draw_status_line(s);
  draw_error_popup(s);
  ImGui::End();
  draw_help_window(s);
}

}  // namespace mpviz::gui
