// The scenario's Python listing with a marker per process on the line it is
// at (its held operation in step mode, else what it is blocked in, else its
// last operation before the cursor), coloured by lane. Caches the listing
// of the selected scenario and reuses its marker vector every frame.
#include <imgui.h>

#include <algorithm>

#include "app/gui/panels.hpp"
#include "app/gui/source_map.hpp"
#include "app/gui/theme.hpp"

#ifndef MPVIZ_ASSETS_DIR
#define MPVIZ_ASSETS_DIR "assets"
#endif

namespace mpviz::gui {
namespace {

constexpr size_t kScanBack = 5000;  // events looked at for a process's last operation

struct SourceCache {
  int scenario = -1;
  std::vector<std::string> lines;
  std::string error;
  std::vector<std::pair<int, int>> marks;  // (line, lane index), sorted by line
  int scrolled_to = -1;                    // first marked line we last scrolled to
};
SourceCache g_src;

// Kind and object of what process `pid` is at, at the cursor.
bool current_op(const AppState& s, int32_t pid, EventKind& kind, std::string_view& obj) {
  for (const PendingOp& op : s.pending)
    if (op.pid == pid) {
      kind = op.kind;
      obj = op.obj;
      return true;
    }
  const SyncState& st = s.sync.state();
  auto p = st.processes.find(pid);
  if (p != st.processes.end()) {
    if (p->second.state == ProcState::Exited || p->second.state == ProcState::Killed) return false;
    if (kind_for_state(p->second.state, kind)) {
      obj = p->second.on;
      return true;
    }
  }
  const auto& evs = s.run.events();
  const size_t end = std::min(s.sync.applied(), evs.size());
  for (size_t i = end, n = 0; i-- > 0 && n < kScanBack; ++n) {
    const Event& e = evs[i];
    if (e.pid != pid || !source_call(e.kind)) continue;
    if (e.kind == EventKind::process_start) continue;  // the parent's report, not this process's code
    kind = e.kind;
    obj = e.name;
    return true;
  }
  return false;
}

}  // namespace

void draw_source_panel(AppState& s) {
  const ScenarioInfo& info = s.scenario().info;
  if (g_src.scenario != s.selected) {
    g_src.scenario = s.selected;
    g_src.lines.clear();
    if (!info.listing_file.empty())
      g_src.lines = load_listing(std::string(MPVIZ_ASSETS_DIR) + "/listings/" + info.listing_file, g_src.error);
  }
  ImGui::TextDisabled("%s", tr(T::Source, s.lang));
  ImGui::SameLine();
  ImGui::TextDisabled("%s", info.listing_file.c_str());
  if (g_src.lines.empty()) {
    ImGui::TextDisabled("%s", tr(T::NoListing, s.lang));
    return;
  }
  // Markers for the live processes at the cursor.
  g_src.marks.clear();
  const auto& lanes = s.run.lanes().lanes();
  const int64_t t = s.cursor_time();
  for (size_t li = 0; li < lanes.size(); ++li) {
    const Lane& lane = lanes[li];
    if (lane.first_ns > t || (lane.ended && lane.end_ns <= t)) continue;
    EventKind kind;
    std::string_view obj;
    if (!current_op(s, lane.pid, kind, obj)) continue;
    const int line = source_line_for(g_src.lines, kind, obj);
    if (line >= 0) g_src.marks.push_back({line, static_cast<int>(li)});
  }
  std::sort(g_src.marks.begin(), g_src.marks.end());

  ImGui::BeginChild("listing", ImVec2(0, 0), false, ImGuiWindowFlags_HorizontalScrollbar);
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const float lh = ImGui::GetTextLineHeight();
  const float dot = lh * 0.55f;
  const float gutter = dot * 4 + px(8);
  // Bring the first marked line into view when it changes.
  const int first_mark = g_src.marks.empty() ? -1 : g_src.marks.front().first;
  const bool scroll = first_mark >= 0 && first_mark != g_src.scrolled_to;
  g_src.scrolled_to = first_mark;
  size_t m = 0;
  for (size_t i = 0; i < g_src.lines.size(); ++i) {
    while (m < g_src.marks.size() && g_src.marks[m].first < static_cast<int>(i)) ++m;
    const size_t m0 = m;
    size_t m1 = m0;
    while (m1 < g_src.marks.size() && g_src.marks[m1].first == static_cast<int>(i)) ++m1;
    ImVec2 p = ImGui::GetCursorScreenPos();
    if (m1 > m0) {
      dl->AddRectFilled(ImVec2(p.x, p.y), ImVec2(p.x + ImGui::GetContentRegionAvail().x, p.y + lh),
                        light_theme() ? IM_COL32(255, 200, 0, 60) : IM_COL32(255, 200, 0, 38));
      for (size_t k = m0; k < m1 && k - m0 < 4; ++k) {
        const float x = p.x + static_cast<float>(k - m0) * (dot + px(2));
        dl->AddCircleFilled(ImVec2(x + dot / 2, p.y + lh / 2), dot / 2, process_color(g_src.marks[k].second));
      }
    }
    ImGui::Dummy(ImVec2(gutter, lh));
    if (scroll && static_cast<int>(i) == first_mark) ImGui::SetScrollHereY(0.3f);
    ImGui::SameLine(0, 0);
    ImGui::TextDisabled("%3zu", i + 1);
    ImGui::SameLine();
    ImGui::TextUnformatted(g_src.lines[i].c_str());
    for (size_t k = m0; k < m1; ++k) {
      const int li = g_src.marks[k].second;
      ImGui::SameLine(0, px(10));
      ImGui::TextColored(process_color_v(li), "← %s", lanes[static_cast<size_t>(li)].name.c_str());
      if (k - m0 >= 2 && m1 - m0 > 3) {
        ImGui::SameLine();
        ImGui::TextDisabled("+%zu", m1 - k - 1);
        break;
      }
    }
  }
  ImGui::EndChild();
}

}  // namespace mpviz::gui
