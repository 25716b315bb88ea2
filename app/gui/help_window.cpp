// The Help window: the keyboard shortcuts and mouse gestures (F1).
#include <imgui.h>

#include "app/gui/panels.hpp"
#include "app/gui/theme.hpp"

namespace mpviz::gui {

void draw_help_window(AppState& s) {
  if (!s.show_help) return;
  const ImGuiViewport* vp = ImGui::GetMainViewport();
  ImGui::SetNextWindowPos(ImVec2(vp->WorkPos.x + vp->WorkSize.x * 0.5f, vp->WorkPos.y + vp->WorkSize.y * 0.45f),
                          ImGuiCond_Always, ImVec2(0.5f, 0.5f));
  ImGui::SetNextWindowBgAlpha(0.97f);
  if (ImGui::Begin(tr(T::HelpShortcuts, s.lang), &s.show_help,
                   ImGuiWindowFlags_AlwaysAutoResize | ImGuiWindowFlags_NoCollapse |
                       ImGuiWindowFlags_NoSavedSettings)) {
    ImGui::TextUnformatted(tr(T::HelpText, s.lang));
    ImGui::Spacing();
    if (ImGui::Button(tr(T::Close, s.lang), ImVec2(px(100), 0))) s.show_help = false;
  }
  ImGui::End();
}

}  // namespace mpviz::gui
