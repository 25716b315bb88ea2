// The console: every print of the run in order, coloured by its process's
// lane; the line at the time cursor is highlighted and clicking a line puts
// the cursor there. Keeps one cache: the indices of the print events
// (appended as events arrive, rebuilt when the run's events are rewritten).
#include <imgui.h>

#include <algorithm>
#include <cstdio>

#include "app/gui/panels.hpp"
#include "app/gui/theme.hpp"

namespace mpviz::gui {
namespace {

struct PrintIndex {
  std::vector<uint32_t> rows;  // indices into run.events() of print events
  size_t scanned = 0;
  uint64_t rewrite = ~0ull;

  void update(const RunModel& run) {
    const auto& evs = run.events();
    if (rewrite != run.rewrite_generation() || scanned > evs.size()) {
      rows.clear();
      scanned = 0;
      rewrite = run.rewrite_generation();
    }
    for (; scanned < evs.size(); ++scanned)
      if (evs[scanned].kind == EventKind::print) rows.push_back(static_cast<uint32_t>(scanned));
  }
};

PrintIndex g_prints;

}  // namespace

void draw_console_panel(AppState& s) {
  g_prints.update(s.run);
  const auto& evs = s.run.events();
  const auto& rows = g_prints.rows;
  if (rows.empty()) {
    ImGui::TextDisabled("%s", tr(T::NoOutput, s.lang));
    return;
  }
  // The last line printed at or before the cursor.
  int current = -1;
  if (s.cursor_ns != kCursorNow) {
    auto it = std::upper_bound(rows.begin(), rows.end(), s.cursor_ns,
                               [&](int64_t t, uint32_t r) { return t < evs[r].t_ns; });
    current = static_cast<int>(it - rows.begin()) - 1;
  }
  const LaneModel& lanes = s.run.lanes();
  // Long lines wrap (continuation lines align under the text). The clipper
  // assumes rows of one height, so it is used only for long outputs.
  const float wrap_right = ImGui::GetContentRegionMax().x;
  auto row = [&](int i) {
    const Event& e = evs[rows[static_cast<size_t>(i)]];
    const int li = lanes.index_of(e.pid);
    ImGui::PushID(i);
    char t[32];
    std::snprintf(t, sizeof t, "%8.3f", static_cast<double>(e.t_ns) / 1e9);
    const Lane* lane = li >= 0 ? &lanes.lanes()[static_cast<size_t>(li)] : nullptr;
    char name[80];
    std::snprintf(name, sizeof name, "[%s]", lane ? lane->name.c_str() : "?");
    const float sp = ImGui::GetStyle().ItemSpacing.x;
    const float prefix = ImGui::CalcTextSize(t).x + sp + ImGui::CalcTextSize(name).x + sp;
    const float text_w = std::max(20.0f, wrap_right - ImGui::GetCursorPosX() - prefix);
    const std::string_view line = print_line(e.text);
    const float h = std::max(ImGui::GetTextLineHeight(),
                             ImGui::CalcTextSize(line.data(), line.data() + line.size(), false, text_w).y);
    if (ImGui::Selectable("##line", i == current, ImGuiSelectableFlags_SpanAllColumns, ImVec2(0, h)))
      s.cursor_ns = e.t_ns;
    ImGui::SameLine(0, 0);
    ImGui::TextDisabled("%s", t);
    ImGui::SameLine();
    ImGui::PushStyleColor(ImGuiCol_Text, process_color_v(li));
    ImGui::TextUnformatted(name);
    ImGui::SameLine();
    ImGui::PushTextWrapPos(wrap_right);
    ImGui::TextUnformatted(line.data(), line.data() + line.size());
    ImGui::PopTextWrapPos();
    ImGui::PopStyleColor();
    ImGui::PopID();
  };
  constexpr int kClipAbove = 2000;
  if (static_cast<int>(rows.size()) <= kClipAbove) {
    for (int i = 0; i < static_cast<int>(rows.size()); ++i) row(i);
  } else {
    ImGuiListClipper clipper;
    clipper.Begin(static_cast<int>(rows.size()));
    while (clipper.Step())
      for (int i = clipper.DisplayStart; i < clipper.DisplayEnd; ++i) row(i);
  }
  // Follow new output while scrolled to the bottom and following live.
  if (s.cursor_ns == kCursorNow && ImGui::GetScrollY() >= ImGui::GetScrollMaxY() - 1.0f)
    ImGui::SetScrollHereY(1.0f);
}

}  // namespace mpviz::gui
