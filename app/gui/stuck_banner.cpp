// A red banner across the window when the run is stuck: a deadlock (every
// live process blocked on something no live process can release) or a lock
// held by a dead process. Text from the engine's StuckReport (zh / en).
// At "now" it shows the run's analysis; with the time cursor in the past it
// shows the state at the cursor (the timeline of the events up to it), so it
// agrees with the timeline and the sync panel. One or two lines; the full
// text is in the tooltip.
#include <imgui.h>

#include <algorithm>
#include <string>
#include <vector>

#include "app/gui/panels.hpp"
#include "app/gui/theme.hpp"
#include "app/gui/wrap_text.hpp"

namespace mpviz::gui {
namespace {

struct CursorStuck {
  uint64_t gen = ~0ull;
  int64_t t = -2;
  StuckReport report;
  uint64_t version = 0;  // bumped when the report changes (text cache)
};
CursorStuck g_cursor;

// The report the banner shows, and a key that changes with it.
const StuckReport& current_report(const AppState& s, uint64_t& key) {
  if (s.cursor_ns == kCursorNow) {
    key = s.analysis.built_generation() * 2;
    return s.analysis.stuck();
  }
  CursorStuck& c = g_cursor;
  if (c.gen != s.run.generation() || c.t != s.cursor_ns) {
    // As RunAnalysis: a finished or stopped live run moved on by itself
    // after any "everyone blocked" moment; live runs and recordings keep it.
    const bool keep = s.run.live() || s.run.status() == ViewStatus::Recording;
    c.report = stuck_at(s.run.events(), s.cursor_ns, keep);
    c.gen = s.run.generation();
    c.t = s.cursor_ns;
    ++c.version;
  }
  key = c.version * 2 + 1;
  return c.report;
}

float banner_height(const AppState& s, const StuckReport& r, const std::string& text) {
  if (!r.any()) return 0;
  const ImGuiStyle& st = ImGui::GetStyle();
  const float w = ImGui::GetContentRegionAvail().x - 2 * st.WindowPadding.x -
                  ImGui::CalcTextSize(r.deadlock ? tr(T::Deadlock, s.lang) : tr(T::Stuck, s.lang)).x -
                  st.ItemSpacing.x;
  const bool two = ImGui::CalcTextSize(text.c_str()).x > w;
  return ImGui::GetTextLineHeight() * (two ? 2.0f : 1.0f) + (two ? st.ItemSpacing.y : 0) +
         2 * px(4);
}

std::string g_text;
uint64_t g_text_key = ~0ull;
Lang g_text_lang = Lang::Zh;

const std::string& summary(const AppState& s, const StuckReport& r, uint64_t key) {
  // Built when the report changes, not per frame.
  if (g_text_key != key || g_text_lang != s.lang) {
    g_text = s.lang == Lang::Zh ? r.summary_zh() : r.summary_en();
    g_text_key = key;
    g_text_lang = s.lang;
  }
  return g_text;
}

}  // namespace

float stuck_banner_height(const AppState& s) {
  uint64_t key = 0;
  const StuckReport& r = current_report(s, key);
  return banner_height(s, r, summary(s, r, key));
}

void draw_stuck_banner(AppState& s) {
  uint64_t key = 0;
  const StuckReport& r = current_report(s, key);
  if (!r.any()) return;
  const std::string& text = summary(s, r, key);
  ImGui::PushStyleColor(ImGuiCol_ChildBg, ImVec4(0.72f, 0.11f, 0.11f, 1.0f));
  ImGui::PushStyleColor(ImGuiCol_Text, ImVec4(1, 1, 1, 1));
  ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, ImVec2(px(8), px(4)));
  ImGui::BeginChild("stuck", ImVec2(0, banner_height(s, r, text)), false,
                    ImGuiWindowFlags_NoScrollbar | ImGuiWindowFlags_AlwaysUseWindowPadding);
  ImGui::TextUnformatted(r.deadlock ? tr(T::Deadlock, s.lang) : tr(T::Stuck, s.lang));
  ImGui::SameLine();
  ImGui::BeginGroup();
  text_wrapped_cjk(text);
  ImGui::EndGroup();
  ImGui::EndChild();
  if (ImGui::IsItemHovered()) {
    ImGui::PopStyleColor();  // tooltip in the normal text colour
    ImGui::BeginTooltip();
    ImGui::PushTextWrapPos(ImGui::GetFontSize() * 35.0f);
    ImGui::TextUnformatted(text.c_str());
    ImGui::PopTextWrapPos();
    ImGui::EndTooltip();
    ImGui::PopStyleColor();
  } else {
    ImGui::PopStyleColor(2);
  }
  ImGui::PopStyleVar();
}

}  // namespace mpviz::gui
