#include <imgui.h>

#include <cstdio>

#include "app/gui/event_text.hpp"
#include "app/gui/panels.hpp"
#include "app/gui/theme.hpp"

namespace mpviz::gui {

void draw_event_table(AppState& s) {
  const std::vector<Event>& evs = s.run.events();
  const LaneModel& lanes = s.run.lanes();
  if (evs.empty()) {
    ImGui::Spacing();
    ImGui::TextDisabled("%s", tr(T::NoEvents, s.lang));
    return;
  }
  const ImGuiTableFlags flags = ImGuiTableFlags_ScrollY | ImGuiTableFlags_RowBg |
                                ImGuiTableFlags_BordersInnerV | ImGuiTableFlags_Resizable |
                                ImGuiTableFlags_SizingFixedFit;
  if (!ImGui::BeginTable("events", 5, flags, ImGui::GetContentRegionAvail())) return;
  ImGui::TableSetupScrollFreeze(0, 1);
  ImGui::TableSetupColumn(tr(T::ColTime, s.lang), ImGuiTableColumnFlags_WidthFixed, 80);
  ImGui::TableSetupColumn(tr(T::ColPid, s.lang), ImGuiTableColumnFlags_WidthFixed, 64);
  ImGui::TableSetupColumn(tr(T::ColName, s.lang), ImGuiTableColumnFlags_WidthFixed, 150);
  ImGui::TableSetupColumn(tr(T::ColKind, s.lang), ImGuiTableColumnFlags_WidthFixed, 130);
  ImGui::TableSetupColumn(tr(T::ColDetails, s.lang), ImGuiTableColumnFlags_WidthStretch);
  ImGui::TableHeadersRow();

  // Only the visible rows are formatted, into a stack buffer: a frame costs
  // the same with ten events or a million, and allocates nothing.
  char buf[512];
  ImGuiListClipper clipper;
  clipper.Begin(static_cast<int>(evs.size()));
  while (clipper.Step()) {
    for (int row = clipper.DisplayStart; row < clipper.DisplayEnd; ++row) {
      const Event& e = evs[static_cast<size_t>(row)];
      ImGui::TableNextRow();
      ImGui::TableNextColumn();
      ImGui::Text("%8.3f", static_cast<double>(e.t_ns) / 1e9);
      if (e.kind == EventKind::run_end) {
        ImGui::TableNextColumn();
        ImGui::TableNextColumn();
        ImGui::TableNextColumn();
        ImGui::TextDisabled("run_end");
        ImGui::TableNextColumn();
        describe_event(e, s.lang, buf, sizeof buf);
        ImGui::TextUnformatted(buf);
        continue;
      }
      const int li = lanes.index_of(e.pid);
      const Lane* lane = li >= 0 ? &lanes.lanes()[static_cast<size_t>(li)] : nullptr;
      ImGui::PushStyleColor(ImGuiCol_Text, process_color_v(li));
      ImGui::TableNextColumn();
      ImGui::Text("%d", e.pid);
      ImGui::TableNextColumn();
      ImGui::TextUnformatted(lane ? lane->name.c_str() : "?");
      ImGui::PopStyleColor();
      ImGui::TableNextColumn();
      const std::string_view kind = kind_name(e.kind);
      ImGui::TextUnformatted(kind.data(), kind.data() + kind.size());
      ImGui::TableNextColumn();
      describe_event(e, s.lang, buf, sizeof buf);
      if (e.kind == EventKind::print)
        ImGui::TextColored(ImVec4(1.0f, 0.95f, 0.7f, 1.0f), "%s", buf);
      else
        ImGui::TextUnformatted(buf);
    }
  }
  // Follow the newest events while the view is scrolled to the bottom.
  if (ImGui::GetScrollY() >= ImGui::GetScrollMaxY() - 1.0f) ImGui::SetScrollHereY(1.0f);
  ImGui::EndTable();
}

}  // namespace mpviz::gui
