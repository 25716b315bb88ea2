// The held operations in step mode: each held process's next operation
// (pid, name, the call it is about to make) with a Step button each, so the
// teacher picks who goes next ("you are the scheduler").
#include <imgui.h>

#include <cstdio>

#include "app/gui/panels.hpp"
#include "app/gui/source_map.hpp"
#include "app/gui/theme.hpp"
#include "app/gui/wrap_text.hpp"

namespace mpviz::gui {
namespace {

// "lock.acquire()", "sleep()", "print()", "q.put()" ...
void op_text(const PendingOp& op, char* buf, size_t n) {
  const char* verb = pending_verb(op.kind);
  const bool call = source_call(op.kind) != nullptr && op.kind != EventKind::process_start &&
                    op.kind != EventKind::pool_submit;
  if (!op.obj.empty() && call)
    std::snprintf(buf, n, "%s.%s()", op.obj.c_str(), verb);
  else if (call)
    std::snprintf(buf, n, "%s()", verb);
  else
    std::snprintf(buf, n, "%s%s%s", verb, op.obj.empty() ? "" : " ", op.obj.c_str());
}

}  // namespace

void draw_held_panel(AppState& s) {
  // The panel's own background (exact colour: the step-mode screenshot test finds it).
  {
    const ImVec2 a = ImGui::GetWindowPos(), b(a.x + ImGui::GetWindowWidth(), a.y + ImGui::GetWindowHeight());
    ImGui::GetWindowDrawList()->AddRectFilled(a, b, light_theme() ? IM_COL32(255, 236, 179, 255) : IM_COL32(kHeldBgRgb.r, kHeldBgRgb.g, kHeldBgRgb.b, 255));
  }
  ImGui::TextColored(ImVec4(1.0f, 0.6f, 0.1f, 1), "%s", tr(T::HeldOps, s.lang));
  ImGui::SameLine();
  ImGui::TextDisabled("(%d)", static_cast<int>(s.pending.size()));
  if (s.pending.empty()) {
    ImGui::TextDisabled("%s", tr(T::HeldNone, s.lang));
    return;
  }
  ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetStyle().Colors[ImGuiCol_TextDisabled]);
  text_wrapped_cjk(tr(T::HeldHint, s.lang));
  ImGui::PopStyleColor();
  const LaneModel& lanes = s.run.lanes();
  char buf[96];
  for (size_t i = 0; i < s.pending.size(); ++i) {
    const PendingOp& op = s.pending[i];
    ImGui::PushID(op.pid);
    if (ImGui::Button(tr(T::StepThis, s.lang))) s.step_pid(op.pid);
    ImGui::SameLine();
    const int li = lanes.index_of(op.pid);
    const Lane* lane = li >= 0 ? &lanes.lanes()[static_cast<size_t>(li)] : nullptr;
    ImGui::AlignTextToFramePadding();
    ImGui::TextColored(process_color_v(li), "%s", lane ? lane->name.c_str() : "?");
    ImGui::SameLine();
    ImGui::TextDisabled("%d", op.pid);
    ImGui::SameLine();
    op_text(op, buf, sizeof buf);
    ImGui::TextUnformatted(buf);
    if (i == 0) {
      ImGui::SameLine();
      ImGui::TextDisabled("← S");
    }
    ImGui::PopID();
  }
}

}  // namespace mpviz::gui
