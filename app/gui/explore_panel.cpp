// The Explore tab: run what is selected N times on real processes with a
// strategy choosing who goes next, then one bar per outcome (count and
// share), its output with the lines that differ from the most common
// outcome marked, and two buttons: open that outcome's recording, or replay
// its schedule live, one step at a time, on the window's run.
#include <imgui.h>

#include <algorithm>
#include <cstdio>

#include "app/gui/panels.hpp"
#include "app/gui/wrap_text.hpp"

namespace mpviz::gui {
namespace {

const char* status_text(const std::string& st, Lang lang) {
  if (st == "deadlock") return tr(T::ExploreDeadlock, lang);
  if (st == "failed") return tr(T::ExploreFailed, lang);
  if (st == "stopped") return tr(T::ExploreStopped, lang);
  return tr(T::ExploreFinished, lang);
}

ImU32 status_colour(const std::string& st) {
  if (st == "deadlock") return IM_COL32(220, 60, 60, 255);
  if (st == "failed" || st == "stopped") return IM_COL32(150, 150, 150, 255);
  return IM_COL32(70, 170, 90, 255);
}

}  // namespace

void draw_explore_panel(AppState& s) {
  const bool busy = s.explore.busy();
  ImGui::SetNextItemWidth(ImGui::GetFontSize() * 5);
  ImGui::InputInt(tr(T::ExploreRuns, s.lang), &s.explore_runs, 0, 0);
  s.explore_runs = std::clamp(s.explore_runs, 1, 1000);
  ImGui::SameLine();
  const char* strategies[] = {"random", "pct", "systematic"};
  ImGui::SetNextItemWidth(ImGui::GetFontSize() * 7);
  ImGui::Combo("##strategy", &s.explore_strategy, strategies, 3);
  ImGui::SameLine();
  if (!busy) {
    if (ImGui::Button(tr(T::ExploreStart, s.lang))) s.start_explore();
  } else if (ImGui::Button(tr(T::ExploreCancel, s.lang))) {
    s.explore.cancel();
  }
  ImGui::SameLine();
  ImGui::TextDisabled("(?)");
  if (ImGui::IsItemHovered()) {
    ImGui::BeginTooltip();
    ImGui::PushTextWrapPos(ImGui::GetFontSize() * 24);
    text_wrapped_cjk(tr(T::ExploreIntro, s.lang));
    ImGui::PopTextWrapPos();
    ImGui::EndTooltip();
  }
  char buf[128];
  if (busy || s.explore.done_runs() > 0) {
    std::snprintf(buf, sizeof buf, tr(T::ExploreProgressFmt, s.lang), s.explore.done_runs(), s.explore.total_runs());
    ImGui::ProgressBar(s.explore.total_runs() ? float(s.explore.done_runs()) / float(s.explore.total_runs()) : 0.f,
                       ImVec2(-1, ImGui::GetTextLineHeight()), buf);
  }
  if (s.replay.driver) {
    std::snprintf(buf, sizeof buf, tr(T::ExploreReplaying, s.lang),
                  static_cast<int>(s.replay.driver->steps().size()), s.replay.total_steps);
    ImGui::TextColored(ImVec4(1.0f, 0.6f, 0.1f, 1), "%s%s%s", buf, s.replay.verdict.empty() ? "" : "  ",
                       s.replay.verdict.empty() ? "" : status_text(s.replay.verdict, s.lang));
  }
  const auto& groups = s.explore_groups;
  if (groups.empty()) return;
  int total = 0;
  for (const auto& g : groups) total += g.count;
  std::snprintf(buf, sizeof buf, tr(T::ExploreOutcomesFmt, s.lang), static_cast<int>(groups.size()));
  ImGui::TextUnformatted(buf);
  ImGui::SameLine();
  ImGui::TextDisabled("(%s)", tr(T::ExploreDiffers, s.lang));

  const auto& common = groups.front().outcome.output;
  const float bar_w = ImGui::GetContentRegionAvail().x * 0.3f;
  for (size_t i = 0; i < groups.size(); ++i) {
    const ExploreGroup& g = groups[i];
    ImGui::PushID(static_cast<int>(i));
    ImGui::Separator();
    // The bar: its length is the outcome's share of the runs.
    const ImVec2 p = ImGui::GetCursorScreenPos();
    const float h = ImGui::GetTextLineHeight();
    const float share = total ? float(g.count) / float(total) : 0.f;
    ImDrawList* dl = ImGui::GetWindowDrawList();
    dl->AddRectFilled(p, ImVec2(p.x + bar_w, p.y + h), IM_COL32(80, 80, 80, 60));
    dl->AddRectFilled(p, ImVec2(p.x + std::max(2.f, bar_w * share), p.y + h), status_colour(g.outcome.status));
    ImGui::Dummy(ImVec2(bar_w, h));
    ImGui::SameLine();
    ImGui::Text("%d (%.0f%%)  %s", g.count, 100.0 * share, status_text(g.outcome.status, s.lang));
    ImGui::SameLine();
    if (ImGui::SmallButton(tr(T::ExploreOpen, s.lang))) s.open_explore_group(i);
    ImGui::SameLine();
    if (ImGui::SmallButton(tr(T::ExploreReplay, s.lang))) s.replay_explore_group(i);
    // Its output; a line that differs from the most common outcome's at
    // the same place is yellow.
    for (size_t l = 0; l < g.outcome.output.size(); ++l) {
      const bool differs = l >= common.size() || common[l] != g.outcome.output[l];
      if (differs && i > 0)
        ImGui::TextColored(ImVec4(1.0f, 0.85f, 0.2f, 1), "  %s", g.outcome.output[l].c_str());
      else
        ImGui::TextDisabled("  %s", g.outcome.output[l].c_str());
    }
    std::string finals;
    for (const auto& [k, v] : g.outcome.finals) finals += (finals.empty() ? "" : ", ") + k + " = " + v;
    if (!finals.empty()) ImGui::Text("  %s", finals.c_str());
    ImGui::PopID();
  }
}

}  // namespace mpviz::gui
