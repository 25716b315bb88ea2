// The scenario list (titles zh/en with the tutorial's section numbers), the
// "as C++ / as Python" switch for the built-in scenarios, the opened Python
// program as its own entry, and the selected one's explanation.
#include <imgui.h>

#include <filesystem>

#include "app/gui/panels.hpp"
#include "app/gui/theme.hpp"
#include "app/gui/wrap_text.hpp"

namespace mpviz::gui {
namespace {

// "as C++" / "as Python": how the built-in scenarios run.
void draw_language_switch(AppState& s) {
  if (ImGui::RadioButton(tr(T::AsCpp, s.lang), !s.as_python)) s.as_python = false;
  ImGui::SameLine();
  if (ImGui::RadioButton(tr(T::AsPython, s.lang), s.as_python)) s.as_python = true;
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", tr(T::AsPythonHelp, s.lang));
}

// The command that does the same from a terminal, e.g. `mpviz run lock`.
std::string cli_hint(const AppState& s) {
  if (s.program_selected) return "mpviz run " + s.program;
  const ScenarioInfo& info = s.scenario().info;
  if (s.as_python && !info.listing_file.empty()) return "mpviz run assets/listings/" + info.listing_file;
  return "mpviz run " + info.name;
}

}  // namespace

void draw_scenario_panel(AppState& s) {
  ImGui::TextDisabled("%s", tr(T::WindowScenarios, s.lang));
  ImGui::Separator();
  draw_language_switch(s);
  const ScenarioList& list = *s.scenarios;
  const float section_w = ImGui::CalcTextSize("§10").x + ImGui::GetStyle().ItemSpacing.x * 2;
  for (int i = 0; i < static_cast<int>(list.size()); ++i) {
    const ScenarioInfo& info = list[static_cast<size_t>(i)].info;
    ImGui::PushID(i);
    // "§4" keeps the tutorial's section numbers visible next to the titles.
    ImGui::TextDisabled("§%s", info.section.c_str());
    ImGui::SameLine(section_w);
    const std::string& title = scenario_title(info, s.lang);
    if (ImGui::Selectable(title.c_str(), !s.program_selected && s.selected == i)) s.select_scenario(i);
    // Long titles are cut at the panel's edge: the tooltip has all of it.
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s\nmpviz run %s", title.c_str(), info.name.c_str());
    ImGui::PopID();
  }
  if (!s.program.empty()) {
    // The opened Python program: selectable like a scenario.
    ImGui::Spacing();
    ImGui::TextDisabled("%s", tr(T::PythonPrograms, s.lang));
    ImGui::TextDisabled("py");
    ImGui::SameLine(section_w);
    const std::string name = std::filesystem::path(s.program).filename().string();
    if (ImGui::Selectable(name.c_str(), s.program_selected)) s.program_selected = true;
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", s.program.c_str());
  }
  ImGui::Spacing();
  ImGui::Separator();
  ImGui::Spacing();
  ImGui::PushStyleColor(ImGuiCol_Text, accent_text());
  text_wrapped_cjk(s.target_title());
  ImGui::PopStyleColor();
  ImGui::PushTextWrapPos(0);
  ImGui::TextDisabled("%s", cli_hint(s).c_str());
  ImGui::PopTextWrapPos();
  ImGui::Spacing();
  text_wrapped_cjk(s.program_selected ? std::string(tr(T::ProgramExplain, s.lang))
                                      : scenario_explain(s.scenario().info, s.lang));
}

}  // namespace mpviz::gui
