// The Python text of what is selected (a scenario's listing, or the opened
// program) with a marker per live process on the line it is at, coloured by
// lane. Two ways to know the line:
//  - Python runs (the program or listing shown is what ran): the events'
//    real source line (Event::line) — the process's latest operation with a
//    line before the cursor; a held operation (no line yet) is guessed as the
//    next call of its kind after that line.
//  - C++ scenarios: the kind of its held operation, else what it is blocked
//    in, else its last operation before the cursor, mapped to the listing.
// Caches the file's lines and reuses its marker vector every frame.
#include <imgui.h>

#include <algorithm>
#include <filesystem>
#include <system_error>

#include "app/gui/panels.hpp"
#include "app/gui/source_map.hpp"
#include "app/gui/theme.hpp"
#include "app/python_program.hpp"

namespace mpviz::gui {
namespace {

constexpr size_t kScanBack = 5000;  // events looked at for a process's last operation

struct SourceCache {
  std::string path;  // the file shown ("" none)
  std::vector<std::string> lines;
  std::string error;
  std::vector<std::pair<int, int>> marks;  // (line, lane index), sorted by line
  int scrolled_to = -1;                    // first marked line we last scrolled to
  std::string ran, ran_for;                // the Python run's program vs. `path` ...
  bool ran_is_shown = false;               // ... are the same file
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

// Python mode: the line process `pid` is at (0-based), or -1.
int python_line(const AppState& s, int32_t pid) {
  const int last = python_line_of(s.run.events(), s.sync.applied(), pid, kScanBack);
  for (const PendingOp& op : s.pending)
    if (op.pid == pid) {
      const int next = source_line_after(g_src.lines, op.kind, op.obj, std::max(last, 0));
      return next >= 0 ? next : last;
    }
  return last;
}

// Is the run on screen a Python run of the file shown? (Its recording
// names the program it ran.)
bool python_run_of_shown(const AppState& s) {
  const std::string& ran = s.run.header().scenario;
  if (!is_python_path(ran) || g_src.path.empty()) return false;
  if (ran != g_src.ran || g_src.ran_for != g_src.path) {  // two stat()s, once per change
    std::error_code ec;
    g_src.ran = ran;
    g_src.ran_for = g_src.path;
    g_src.ran_is_shown = std::filesystem::equivalent(ran, g_src.path, ec);
  }
  return g_src.ran_is_shown;
}

}  // namespace

void draw_source_panel(AppState& s) {
  const std::string path = s.python_file();
  if (g_src.path != path) {
    g_src.path = path;
    g_src.lines.clear();
    g_src.scrolled_to = -1;
    if (!path.empty()) g_src.lines = load_listing(path, g_src.error);
  }
  ImGui::TextDisabled("%s", tr(T::Source, s.lang));
  ImGui::SameLine();
  ImGui::TextDisabled("%s", std::filesystem::path(path).filename().string().c_str());
  if (ImGui::IsItemHovered() && !path.empty()) ImGui::SetTooltip("%s", path.c_str());
  if (g_src.lines.empty()) {
    ImGui::TextDisabled("%s", g_src.error.empty() ? tr(T::NoListing, s.lang) : g_src.error.c_str());
    return;
  }
  // Markers for the live processes at the cursor. A Python run of another
  // file than the one shown gets none (its lines are not these lines).
  g_src.marks.clear();
  const auto& lanes = s.run.lanes().lanes();
  const int64_t t = s.cursor_time();
  const bool python_run = is_python_path(s.run.header().scenario);
  const bool by_line = python_run && python_run_of_shown(s);
  for (size_t li = 0; li < lanes.size() && (by_line || !python_run); ++li) {
    const Lane& lane = lanes[li];
    if (lane.first_ns > t || (lane.ended && lane.end_ns <= t)) continue;
    int line = -1;
    if (by_line) {
      line = python_line(s, lane.pid);
    } else {
      EventKind kind;
      std::string_view obj;
      if (!current_op(s, lane.pid, kind, obj)) continue;
      line = source_line_for(g_src.lines, kind, obj);
    }
    if (line >= 0 && line < static_cast<int>(g_src.lines.size()))
      g_src.marks.push_back({line, static_cast<int>(li)});
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
