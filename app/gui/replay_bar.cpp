// The time scrubber: for a loaded recording, play/pause at 0.25x-8x and a
// slider that drives the time cursor; for a live run, the same slider over
// [0, now] and a "Now" button that goes back to following the run.
#include <imgui.h>

#include <algorithm>

#include "app/gui/panels.hpp"
#include "app/gui/theme.hpp"

namespace mpviz::gui {
namespace {
constexpr float kSpeeds[] = {0.25f, 0.5f, 1.0f, 2.0f, 4.0f, 8.0f};
constexpr const char* kSpeedNames[] = {"0.25x", "0.5x", "1x", "2x", "4x", "8x"};
}  // namespace

void draw_replay_bar(AppState& s) {
  const int64_t end = s.run.now_ns();
  if (s.run.loaded()) {
    // Advance the cursor while playing (the frame loop keeps frames coming).
    if (s.playing) {
      if (s.cursor_ns == kCursorNow || s.cursor_ns >= end) s.cursor_ns = 0;
      s.cursor_ns += static_cast<int64_t>(ImGui::GetIO().DeltaTime * s.play_speed * 1e9);
      if (s.cursor_ns >= end) {
        s.cursor_ns = end;
        s.playing = false;
      }
    }
    if (ImGui::Button(s.playing ? tr(T::PauseReplay, s.lang) : tr(T::Play, s.lang), ImVec2(px(80), 0)))
      s.playing = !s.playing;
    ImGui::SameLine();
    int si = 2;
    for (int i = 0; i < 6; ++i)
      if (kSpeeds[i] == s.play_speed) si = i;
    ImGui::SetNextItemWidth(px(80));
    if (ImGui::Combo("##rspeed", &si, kSpeedNames, 6)) s.play_speed = kSpeeds[si];
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", tr(T::ReplaySpeed, s.lang));
    ImGui::SameLine();
  } else {
    ImGui::BeginDisabled(s.cursor_ns == kCursorNow);
    if (ImGui::Button(tr(T::Now, s.lang), ImVec2(px(80), 0))) s.cursor_ns = kCursorNow;
    ImGui::EndDisabled();
    ImGui::SameLine();
  }
  double t = static_cast<double>(s.cursor_time()) / 1e9;
  const double lo = 0, hi = std::max(1e-3, static_cast<double>(end) / 1e9);
  ImGui::SetNextItemWidth(-1);
  if (ImGui::SliderScalar("##cursor", ImGuiDataType_Double, &t, &lo, &hi, "t = %.3f s")) {
    s.cursor_ns = static_cast<int64_t>(t * 1e9);
    if (!s.run.loaded() && s.cursor_ns >= end) s.cursor_ns = kCursorNow;
  }
}

}  // namespace mpviz::gui
