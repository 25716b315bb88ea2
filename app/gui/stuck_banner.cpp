// A red banner across the window when the run is stuck: a deadlock (every
// live process blocked on something no live process can release) or a lock
// held by a dead process. Text from the engine's StuckReport (zh / en).
#include <imgui.h>

#include "app/gui/panels.hpp"
#include "app/gui/theme.hpp"
#include "app/gui/wrap_text.hpp"

namespace mpviz::gui {

float stuck_banner_height(const AppState& s) {
  if (!s.analysis.stuck().any()) return 0;
  return ImGui::GetTextLineHeightWithSpacing() * 2 + ImGui::GetStyle().WindowPadding.y * 2;
}

void draw_stuck_banner(AppState& s) {
  const StuckReport& r = s.analysis.stuck();
  if (!r.any()) return;
  ImGui::PushStyleColor(ImGuiCol_ChildBg, ImVec4(0.72f, 0.11f, 0.11f, 1.0f));
  ImGui::PushStyleColor(ImGuiCol_Text, ImVec4(1, 1, 1, 1));
  ImGui::BeginChild("stuck", ImVec2(0, stuck_banner_height(s)), true, ImGuiWindowFlags_NoScrollbar);
  ImGui::TextUnformatted(r.deadlock ? tr(T::Deadlock, s.lang) : tr(T::Stuck, s.lang));
  ImGui::SameLine();
  // The engine's one-paragraph summary; it is built on a rebuild, not per frame.
  static std::string text;
  static uint64_t text_gen = ~0ull;
  static Lang text_lang = Lang::Zh;
  if (text_gen != s.analysis.built_generation() || text_lang != s.lang) {
    text = s.lang == Lang::Zh ? r.summary_zh() : r.summary_en();
    text_gen = s.analysis.built_generation();
    text_lang = s.lang;
  }
  text_wrapped_cjk(text);
  ImGui::EndChild();
  ImGui::PopStyleColor(2);
}

}  // namespace mpviz::gui
