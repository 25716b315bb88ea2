#include <imgui.h>

#include "app/gui/panels.hpp"

namespace mpviz::gui {

void draw_status_line(AppState& s) {
  T label = T::StatusIdle;
  ImVec4 col(0.7f, 0.7f, 0.7f, 1.0f);
  switch (s.run.status()) {
    case ViewStatus::Idle: break;
    case ViewStatus::Running: label = T::StatusRunning; col = ImVec4(0.4f, 0.85f, 0.4f, 1); break;
    case ViewStatus::Finished: label = T::StatusFinished; col = ImVec4(0.5f, 0.7f, 1.0f, 1); break;
    case ViewStatus::Stopped: label = T::StatusStopped; col = ImVec4(1.0f, 0.75f, 0.3f, 1); break;
    case ViewStatus::Failed: label = T::StatusFailed; col = ImVec4(1.0f, 0.4f, 0.4f, 1); break;
    case ViewStatus::Recording: label = T::StatusRecording; col = ImVec4(0.8f, 0.6f, 1.0f, 1); break;
  }
  // Step mode: the run is alive but every process stops at its next operation.
  const bool paused = s.run.status() == ViewStatus::Running && s.held;
  if (paused) col = ImVec4(1.0f, 0.6f, 0.1f, 1);
  ImGui::TextColored(col, "● %s", paused ? tr(T::Paused, s.lang) : tr(label, s.lang));
  // A run stopped at a limit says which (run_end's "limit", as in the recording).
  if (!s.run.events().empty() && s.run.events().back().kind == EventKind::run_end &&
      !s.run.events().back().name.empty()) {
    ImGui::SameLine();
    ImGui::TextColored(ImVec4(1.0f, 0.4f, 0.4f, 1), "(%s)", s.run.events().back().name.c_str());
  }
  if (s.run.status() == ViewStatus::Recording) {
    ImGui::SameLine();
    ImGui::TextDisabled("%s", s.run.recording_path().c_str());
  }
  const LaneModel& lanes = s.run.lanes();
  ImGui::SameLine(0, 24);
  ImGui::Text("%s: %zu", tr(T::Events, s.lang), s.run.events().size());
  ImGui::SameLine(0, 24);
  ImGui::Text("%s: %zu", tr(T::Processes, s.lang), lanes.lanes().size());
  ImGui::SameLine(0, 24);
  ImGui::Text("%s: %d", tr(T::Alive, s.lang), lanes.alive());
  ImGui::SameLine(0, 24);
  ImGui::Text("t = %.3f s", static_cast<double>(s.run.now_ns()) / 1e9);
  if (!s.message.empty()) {
    ImGui::SameLine(0, 24);
    ImGui::TextColored(ImVec4(1.0f, 0.4f, 0.4f, 1), "%s", s.message.c_str());
  }
  if (!s.info_line.empty()) {
    ImGui::SameLine(0, 24);
    ImGui::TextColored(ImVec4(0.3f, 0.75f, 0.4f, 1), "%s", s.info_line.c_str());
  }
  const char* keys = tr(T::Shortcuts, s.lang);
  float w = ImGui::CalcTextSize(keys).x;
  ImGui::SameLine(ImGui::GetWindowContentRegionMax().x - w);
  ImGui::TextDisabled("%s", keys);
}

}  // namespace mpviz::gui
