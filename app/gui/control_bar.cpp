#include <imgui.h>

#include <algorithm>
#include <cstdio>

#include "app/gui/panels.hpp"
#include "app/gui/theme.hpp"

namespace mpviz::gui {
namespace {

void draw_param(AppState& s, const ParamSpec& spec, ParamValues& values) {
  ImGui::PushID(spec.key.c_str());
  auto it = values.all().find(spec.key);
  ParamValue v = it != values.all().end() ? it->second : spec.def;
  ImGui::AlignTextToFramePadding();
  ImGui::TextUnformatted(spec.key.c_str());
  ImGui::SameLine(0, 4);
  bool changed = false;
  ImGui::SetNextItemWidth(spec.type == ParamType::Bool ? 0.0f : px(90));
  switch (spec.type) {
    case ParamType::Int: {
      int64_t x = std::get<int64_t>(v);
      int64_t lo = static_cast<int64_t>(spec.min), hi = static_cast<int64_t>(spec.max);
      changed = ImGui::DragScalar("##v", ImGuiDataType_S64, &x, 0.2f, &lo, &hi, "%lld",
                                  ImGuiSliderFlags_AlwaysClamp);
      if (changed) values.put(spec.key, x);
      break;
    }
    case ParamType::Float: {
      double x = std::get<double>(v);
      changed = ImGui::DragScalar("##v", ImGuiDataType_Double, &x, 0.01f, &spec.min, &spec.max,
                                  "%.2f", ImGuiSliderFlags_AlwaysClamp);
      if (changed) values.put(spec.key, x);
      break;
    }
    case ParamType::Bool: {
      bool x = std::get<bool>(v);
      changed = ImGui::Checkbox("##v", &x);
      if (changed) values.put(spec.key, x);
      break;
    }
  }
  if (ImGui::IsItemHovered()) {
    char lo[32], hi[32];
    std::snprintf(lo, sizeof lo, "%g", spec.min);
    std::snprintf(hi, sizeof hi, "%g", spec.max);
    ImGui::BeginTooltip();
    ImGui::TextUnformatted(s.lang == Lang::Zh ? spec.help_zh.c_str() : spec.help_en.c_str());
    if (spec.type != ParamType::Bool) ImGui::TextDisabled(tr(T::RangeFmt, s.lang), lo, hi);
    ImGui::EndTooltip();
  }
  if (spec.type != ParamType::Bool) {
    ImGui::SameLine(0, 4);
    ImGui::TextDisabled("%.10g..%.10g", spec.min, spec.max);
  }
  ImGui::PopID();
}

}  // namespace

void draw_control_bar(AppState& s) {
  const bool live = s.run.live();
  ImGui::PushStyleColor(ImGuiCol_Button, ImVec4(0.18f, 0.49f, 0.20f, 1.0f));
  ImGui::PushStyleColor(ImGuiCol_ButtonHovered, ImVec4(0.26f, 0.60f, 0.28f, 1.0f));
  if (ImGui::Button(tr(T::Run, s.lang), ImVec2(px(110), 0))) s.start_run();
  ImGui::PopStyleColor(2);
  ImGui::SameLine();
  ImGui::BeginDisabled(!live);
  ImGui::PushStyleColor(ImGuiCol_Button, ImVec4(0.62f, 0.18f, 0.16f, 1.0f));
  ImGui::PushStyleColor(ImGuiCol_ButtonHovered, ImVec4(0.75f, 0.25f, 0.22f, 1.0f));
  if (ImGui::Button(tr(T::Stop, s.lang), ImVec2(px(110), 0))) s.stop_run();
  ImGui::PopStyleColor(2);
  ImGui::EndDisabled();

  ImGui::SameLine(0, 24);
  ImGui::AlignTextToFramePadding();
  ImGui::TextUnformatted(tr(T::Method, s.lang));
  ImGui::SameLine();
  ImGui::SetNextItemWidth(px(110));
  // CPython's forkserver exists for Python programs only (the C++ scenarios
  // implement fork and spawn).
  const char* methods[] = {"fork", "spawn", "forkserver"};
  const bool python = s.python_mode();
  int m = python && s.forkserver ? 2 : s.spawn ? 1 : 0;
  if (ImGui::Combo("##method", &m, methods, python ? 3 : 2)) {
    s.spawn = m == 1;
    s.forkserver = m == 2;
  }

  ImGui::SameLine(0, 24);
  ImGui::TextUnformatted(tr(T::Speed, s.lang));
  ImGui::SameLine();
  ImGui::BeginDisabled(s.skip_sleeps);
  // The slider gives up width (down to px(70)) so the skip-sleeps box and
  // the language toggle still fit on this row at a large font scale.
  const ImGuiStyle& st = ImGui::GetStyle();
  const float toggle_w = ImGui::CalcTextSize("中文English").x + 2 * ImGui::GetFrameHeight() +
                         4 * st.ItemSpacing.x;
  const float after_slider = st.ItemSpacing.x + ImGui::GetFrameHeight() + st.ItemInnerSpacing.x +
                             ImGui::CalcTextSize(tr(T::SkipSleeps, s.lang)).x + 24 + toggle_w;
  const float room = ImGui::GetWindowContentRegionMax().x - ImGui::GetCursorPosX() - after_slider;
  ImGui::SetNextItemWidth(std::clamp(room, px(70), px(150)));
  if (ImGui::SliderFloat("##speed", &s.speed, 0.1f, 100.0f, "%.3gx",
                         ImGuiSliderFlags_Logarithmic | ImGuiSliderFlags_AlwaysClamp))
    s.set_live_speed();  // a live run changes speed at once
  ImGui::EndDisabled();
  ImGui::SameLine();
  if (ImGui::Checkbox(tr(T::SkipSleeps, s.lang), &s.skip_sleeps)) s.set_live_speed();
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", tr(T::SkipSleepsHelp, s.lang));

  // Language toggle, right-aligned.
  // Right after the speed controls when the row is too narrow (a large font
  // scale): never on top of them.
  ImGui::SameLine(0, 24);
  const float after = ImGui::GetCursorPosX();
  ImGui::SameLine(std::max(after, ImGui::GetWindowContentRegionMax().x - toggle_w));
  if (ImGui::RadioButton("中文", s.lang == Lang::Zh)) s.set_lang(Lang::Zh);
  ImGui::SameLine();
  if (ImGui::RadioButton("English", s.lang == Lang::En)) s.set_lang(Lang::En);

  // Second row: the selected scenario's parameters.
  ImGui::AlignTextToFramePadding();
  ImGui::TextDisabled("%s", tr(T::Parameters, s.lang));
  if (s.run.loaded()) {
    // A recording: the parameters it was recorded with, not the editable ones.
    const RecordingHeader& h = s.run.header();
    if (h.params.empty()) {
      ImGui::SameLine();
      ImGui::TextDisabled("—");
    }
    for (const auto& [key, value] : h.params) {
      ImGui::SameLine(0, 18);
      ImGui::TextUnformatted(key.c_str());
      ImGui::SameLine(0, 4);
      ImGui::TextColored(accent_text(), "%s", format_param(value).c_str());
    }
    ImGui::SameLine(0, 18);
    ImGui::TextDisabled("%s", tr(T::RecordedParams, s.lang));
    return;
  }
  if (s.python_mode()) {
    // A Python program has its own values; method and speed still apply.
    ImGui::SameLine();
    ImGui::TextDisabled("%s", tr(T::PythonNoParams, s.lang));
    return;
  }
  const ScenarioDef& def = s.scenario();
  ParamValues& values = s.params[static_cast<size_t>(s.selected)];
  if (def.info.params.empty()) {
    ImGui::SameLine();
    ImGui::TextDisabled("—");
  }
  for (const ParamSpec& spec : def.info.params) {
    ImGui::SameLine(0, 18);
    draw_param(s, spec, values);
  }
}

}  // namespace mpviz::gui
