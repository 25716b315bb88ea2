// The teacher's row: Pause/Resume, Step (oldest pending), Restart, the
// step-mode toggle (runs start held), and the keyboard shortcuts.
#define GLFW_INCLUDE_NONE
#include <GLFW/glfw3.h>
#include <imgui.h>

#include "app/gui/panels.hpp"
#include "app/gui/theme.hpp"

namespace mpviz::gui {

void draw_teacher_bar(AppState& s) {
  const bool live = s.run.live();
  ImGui::BeginDisabled(!live);
  const char* pause = s.held ? tr(T::Resume, s.lang) : tr(T::Pause, s.lang);
  if (s.held) {
    ImGui::PushStyleColor(ImGuiCol_Button, ImVec4(0.85f, 0.55f, 0.05f, 1.0f));
    ImGui::PushStyleColor(ImGuiCol_ButtonHovered, ImVec4(0.95f, 0.65f, 0.15f, 1.0f));
  }
  if (ImGui::Button(pause, ImVec2(px(130), 0))) s.toggle_pause();
  if (s.held) ImGui::PopStyleColor(2);
  ImGui::SameLine();
  ImGui::BeginDisabled(s.pending.empty());
  if (ImGui::Button(tr(T::Step, s.lang), ImVec2(px(100), 0))) s.step();
  ImGui::EndDisabled();
  ImGui::EndDisabled();
  ImGui::SameLine();
  if (ImGui::Button(tr(T::Restart, s.lang), ImVec2(px(100), 0))) s.start_run();
  ImGui::SameLine(0, px(18));
  if (ImGui::Checkbox(tr(T::StartHeld, s.lang), &s.settings.start_held) && live) {
    // Switching on during a run holds it; switching off lets it go.
    if (s.settings.start_held != s.held) s.toggle_pause();
  }
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", tr(T::StartHeldHelp, s.lang));
  if (live && s.held) {
    ImGui::SameLine(0, px(18));
    ImGui::AlignTextToFramePadding();
    ImGui::TextColored(ImVec4(1.0f, 0.6f, 0.1f, 1), "■ %s", tr(T::Paused, s.lang));
    if (!s.pending.empty()) {
      ImGui::SameLine();
      ImGui::TextDisabled("%s: %d", tr(T::HeldOps, s.lang), static_cast<int>(s.pending.size()));
    }
  }
}

double handle_shortcuts(AppState& s) {
  ImGuiIO& io = ImGui::GetIO();
  if (io.WantTextInput || io.KeyCtrl || io.KeyAlt || io.KeySuper) return 1.0;
  // A modal (file dialogs, errors) takes the keys: Esc closes it, R must not run.
  if (ImGui::IsPopupOpen("", ImGuiPopupFlags_AnyPopupId | ImGuiPopupFlags_AnyPopupLevel)) return 1.0;
  // ImGui 1.86: io.KeysDown is indexed by the backend's key codes (GLFW's).
  if (ImGui::IsKeyPressed(GLFW_KEY_R, false)) s.start_run();
  if (ImGui::IsKeyPressed(GLFW_KEY_ESCAPE, false)) {
    if (s.run.live()) s.stop_run();
    else s.show_help = false;
  }
  if (ImGui::IsKeyPressed(GLFW_KEY_SPACE, false)) {
    if (s.run.live()) s.toggle_pause();
    else if (s.run.loaded()) s.playing = !s.playing;
  }
  if (ImGui::IsKeyPressed(GLFW_KEY_S, true) || ImGui::IsKeyPressed(GLFW_KEY_RIGHT, true)) s.step();
  if (ImGui::IsKeyPressed(GLFW_KEY_F1, false)) s.show_help = !s.show_help;
  if (ImGui::IsKeyPressed(GLFW_KEY_EQUAL, true) || ImGui::IsKeyPressed(GLFW_KEY_KP_ADD, true))
    return 0.8;
  if (ImGui::IsKeyPressed(GLFW_KEY_MINUS, true) || ImGui::IsKeyPressed(GLFW_KEY_KP_SUBTRACT, true))
    return 1.25;
  return 1.0;
}

}  // namespace mpviz::gui
