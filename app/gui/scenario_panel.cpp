#include <imgui.h>

#include "app/gui/panels.hpp"
#include "app/gui/theme.hpp"
#include "app/gui/wrap_text.hpp"

namespace mpviz::gui {

void draw_scenario_panel(AppState& s) {
  ImGui::TextDisabled("%s", tr(T::WindowScenarios, s.lang));
  ImGui::Separator();
  const ScenarioList& list = *s.scenarios;
  const float section_w = ImGui::CalcTextSize("§10").x + ImGui::GetStyle().ItemSpacing.x * 2;
  for (int i = 0; i < static_cast<int>(list.size()); ++i) {
    const ScenarioInfo& info = list[static_cast<size_t>(i)].info;
    ImGui::PushID(i);
    // "§4" keeps the tutorial's section numbers visible next to the titles.
    ImGui::TextDisabled("§%s", info.section.c_str());
    ImGui::SameLine(section_w);
    const std::string& title = scenario_title(info, s.lang);
    if (ImGui::Selectable(title.c_str(), s.selected == i)) s.selected = i;
    // Long titles are cut at the panel's edge: the tooltip has all of it.
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s\nmpviz run %s", title.c_str(), info.name.c_str());
    ImGui::PopID();
  }
  ImGui::Spacing();
  ImGui::Separator();
  ImGui::Spacing();
  const ScenarioInfo& cur = s.scenario().info;
  ImGui::PushStyleColor(ImGuiCol_Text, accent_text());
  text_wrapped_cjk(scenario_title(cur, s.lang));
  ImGui::PopStyleColor();
  ImGui::TextDisabled("mpviz run %s", cur.name.c_str());
  ImGui::Spacing();
  text_wrapped_cjk(scenario_explain(cur, s.lang));
}

}  // namespace mpviz::gui
