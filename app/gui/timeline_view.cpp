#include "app/gui/timeline_view.hpp"

#include <imgui.h>

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "app/gui/theme.hpp"

namespace mpviz::gui {
namespace {

constexpr float kLabelWidth = 190;
constexpr float kLaneHeight = 24;
constexpr float kLaneGap = 4;
constexpr float kRulerHeight = 22;
constexpr double kMinSpanNs = 1e5;   // zoom-in limit: 0.1 ms across the view
constexpr float kTickSpacingPx = 90;

T state_text(LaneState st) {
  switch (st) {
    case LaneState::Running: return T::StateRunning;
    case LaneState::Sleeping: return T::StateSleeping;
    case LaneState::LockWait: return T::StateLockWait;
    case LaneState::Holding: return T::StateHolding;
    case LaneState::Joining: return T::StateJoining;
    case LaneState::Blocked: return T::StateBlocked;
    case LaneState::Exited: return T::StateExited;
    case LaneState::Killed: return T::StateKilled;
  }
  return T::StateRunning;
}

// Smallest 1-2-5 step >= raw.
double nice_step(double raw) {
  double p = std::pow(10.0, std::floor(std::log10(raw)));
  for (double m : {1.0, 2.0, 5.0, 10.0})
    if (m * p >= raw) return m * p;
  return 10 * p;
}

bool is_terminal(LaneState st) { return st == LaneState::Exited || st == LaneState::Killed; }

}  // namespace

void TimelineView::draw_header(AppState& s) {
  ImGui::AlignTextToFramePadding();
  ImGui::TextDisabled("%s", tr(T::Timeline, s.lang));
  ImGui::SameLine();
  if (ImGui::Checkbox(tr(T::Follow, s.lang), &follow_)) dragging_ = false;
  ImGui::SameLine();
  if (ImGui::SmallButton(tr(T::FitAll, s.lang))) follow_ = true;
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", tr(T::TimelineHint, s.lang));
  // Legend, wrapping when the row is full.
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const float sw = ImGui::GetTextLineHeight() * 0.8f;
  for (int i = 0; i < kLaneStateCount; ++i) {
    LaneState st = static_cast<LaneState>(i);
    const char* name = tr(state_text(st), s.lang);
    float w = sw + 4 + ImGui::CalcTextSize(name).x;
    ImGui::SameLine(0, 14);
    if (ImGui::GetContentRegionAvail().x < w) ImGui::NewLine();
    ImVec2 p = ImGui::GetCursorScreenPos();
    float dy = (ImGui::GetFrameHeight() - sw) * 0.5f;
    dl->AddRectFilled(ImVec2(p.x, p.y + dy), ImVec2(p.x + sw, p.y + dy + sw), state_color(st));
    ImGui::Dummy(ImVec2(sw, ImGui::GetFrameHeight()));
    ImGui::SameLine(0, 4);
    ImGui::TextUnformatted(name);
  }
}

void TimelineView::draw_ruler(float x0, float x1, float y0, float h) {
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const double span = t1_ - t0_;
  const double ns_per_px = span / std::max(1.0f, x1 - x0);
  const double step = nice_step(kTickSpacingPx * ns_per_px);
  const int decimals = std::clamp(static_cast<int>(-std::floor(std::log10(step / 1e9))), 0, 6);
  const ImU32 tick = IM_COL32(150, 150, 160, 255);
  dl->AddLine(ImVec2(x0, y0 + h - 1), ImVec2(x1, y0 + h - 1), tick);
  char label[32];
  for (double t = std::ceil(t0_ / step) * step; t <= t1_; t += step) {
    float x = x0 + static_cast<float>((t - t0_) / ns_per_px);
    dl->AddLine(ImVec2(x, y0 + h - 6), ImVec2(x, y0 + h - 1), tick);
    std::snprintf(label, sizeof label, "%.*fs", decimals, t / 1e9);
    if (x + 3 + ImGui::CalcTextSize(label).x > x1) break;  // no half labels at the edge
    dl->AddText(ImVec2(x + 3, y0), IM_COL32(190, 190, 200, 255), label);
  }
}

void TimelineView::draw(AppState& s) {
  draw_header(s);
  const LaneModel& model = s.run.lanes();
  const int64_t now = s.run.now_ns();
  if (follow_) {
    t0_ = 0;
    // While live, show at least 0.1 s so the first frames do not zoom into
    // microseconds; a finished run is fitted to its own length.
    const double min_span = model.lanes().empty() ? 1e9 : s.run.live() ? 1e8 : 1e6;
    t1_ = std::max(static_cast<double>(now) * 1.03, min_span);
  }

  const ImVec2 origin = ImGui::GetCursorScreenPos();
  const float width = ImGui::GetContentRegionAvail().x;
  const float bx0 = origin.x + kLabelWidth;  // bars area
  const float bx1 = origin.x + width - 8;
  if (bx1 - bx0 < 50) return;
  draw_ruler(bx0, bx1, origin.y, kRulerHeight);
  ImGui::Dummy(ImVec2(width, kRulerHeight));

  // The lanes scroll vertically; the mouse wheel is ours (zoom).
  ImGui::BeginChild("lanes", ImVec2(0, 0), false, ImGuiWindowFlags_NoScrollWithMouse);
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const double ns_per_px = (t1_ - t0_) / static_cast<double>(bx1 - bx0);
  auto tx = [&](double t) { return bx0 + static_cast<float>((t - t0_) / ns_per_px); };
  const ImVec2 clip0 = ImGui::GetWindowPos();
  const float view_h = ImGui::GetWindowHeight();

  // Faint grid lines at the ruler's ticks.
  const double step = nice_step(kTickSpacingPx * ns_per_px);
  for (double t = std::ceil(t0_ / step) * step; t <= t1_; t += step)
    dl->AddLine(ImVec2(tx(t), clip0.y), ImVec2(tx(t), clip0.y + view_h), IM_COL32(255, 255, 255, 18));

  const ImVec2 mouse = ImGui::GetIO().MousePos;
  const Lane* hover_lane = nullptr;
  int hover_index = -1;
  const auto& lanes = model.lanes();
  for (size_t i = 0; i < lanes.size(); ++i) {
    const Lane& lane = lanes[i];
    const ImVec2 p = ImGui::GetCursorScreenPos();
    const float ya = p.y, yb = p.y + kLaneHeight;
    ImGui::Dummy(ImVec2(width, kLaneHeight + kLaneGap - ImGui::GetStyle().ItemSpacing.y));
    if (!ImGui::IsItemVisible()) continue;
    if (mouse.y >= ya && mouse.y < yb + kLaneGap && mouse.x >= bx0 && mouse.x < bx1) {
      hover_lane = &lane;
      hover_index = static_cast<int>(i);
    }
    // Label: name in the process's colour, pid dimmed.
    char pid[24];
    std::snprintf(pid, sizeof pid, "%d", lane.pid);
    const float ty = ya + (kLaneHeight - ImGui::GetTextLineHeight()) * 0.5f;
    dl->PushClipRect(ImVec2(p.x, ya), ImVec2(bx0 - 6, yb), true);
    dl->AddText(ImVec2(p.x + 4, ty), process_color(static_cast<int>(i)), lane.name.c_str());
    float pw = ImGui::CalcTextSize(pid).x;
    dl->AddText(ImVec2(bx0 - 10 - pw, ty), IM_COL32(140, 140, 150, 255), pid);
    dl->PopClipRect();

    // Bars.
    dl->PushClipRect(ImVec2(bx0, ya), ImVec2(bx1, yb), true);
    dl->AddRectFilled(ImVec2(bx0, ya), ImVec2(bx1, yb), IM_COL32(255, 255, 255, 10));
    const auto& segs = lane.segments;
    auto it = std::upper_bound(segs.begin(), segs.end(), t0_,
                               [](double t, const Segment& sg) { return t < static_cast<double>(sg.t0); });
    if (it != segs.begin()) --it;
    // Never draw more than one rectangle per pixel column: many tiny
    // segments collapse into the first one that reaches a new pixel.
    float last_right = bx0 - 1;
    for (; it != segs.end() && static_cast<double>(it->t0) < t1_; ++it) {
      const int64_t end = it->t1 == kOpenEnd ? std::max(now, it->t0) : it->t1;
      float xa = std::max(tx(static_cast<double>(it->t0)), bx0);
      float xb = std::min(tx(static_cast<double>(end)), bx1);
      if (xb < bx0 || xa > bx1) continue;
      if (is_terminal(it->state)) {
        // After the end: a thin line, with a mark where the process ended.
        const float mid = (ya + yb) * 0.5f;
        dl->AddRectFilled(ImVec2(xa, mid - 1.5f), ImVec2(std::max(xb, xa + 1), mid + 1.5f),
                          state_color(it->state));
        dl->AddRectFilled(ImVec2(xa, ya + 3), ImVec2(xa + 3, yb - 3), state_color(it->state));
        continue;
      }
      xb = std::max(xb, xa + 1.0f);
      if (xb <= last_right) continue;
      xa = std::max(xa, last_right);
      dl->AddRectFilled(ImVec2(xa, ya), ImVec2(xb, yb), state_color(it->state));
      if (it->holding && it->state != LaneState::Holding)
        dl->AddRectFilled(ImVec2(xa, yb - 5), ImVec2(xb, yb), state_color(LaneState::Holding));
      last_right = xb;
    }
    dl->PopClipRect();
  }
  // "Now" while the run is live.
  if (s.run.live()) {
    float x = tx(static_cast<double>(now));
    if (x >= bx0 && x <= bx1)
      dl->AddLine(ImVec2(x, clip0.y), ImVec2(x, clip0.y + view_h), IM_COL32(255, 255, 255, 120), 1.5f);
  }

  // Interaction: wheel zooms around the cursor, drag pans.
  ImGuiIO& io = ImGui::GetIO();
  const bool over_bars = ImGui::IsWindowHovered() && mouse.x >= bx0 && mouse.x < bx1;
  if (over_bars && io.MouseWheel != 0) {
    const double tm = t0_ + (mouse.x - bx0) * ns_per_px;
    const double f = std::pow(0.8, static_cast<double>(io.MouseWheel));
    double span = std::max(kMinSpanNs, (t1_ - t0_) * f);
    t0_ = tm - (tm - t0_) * span / (t1_ - t0_);
    t1_ = t0_ + span;
    follow_ = false;
  }
  if (over_bars && ImGui::IsMouseClicked(ImGuiMouseButton_Left)) dragging_ = true;
  if (!ImGui::IsMouseDown(ImGuiMouseButton_Left)) dragging_ = false;
  if (dragging_ && io.MouseDelta.x != 0) {
    const double dt = -io.MouseDelta.x * ns_per_px;
    t0_ += dt;
    t1_ += dt;
    follow_ = false;
  }

  // Hover tooltip: the process and the state under the cursor.
  if (hover_lane && !dragging_ && ImGui::IsWindowHovered()) {
    const double tm = t0_ + (mouse.x - bx0) * ns_per_px;
    const Segment* seg = LaneModel::segment_at(*hover_lane, static_cast<int64_t>(tm));
    ImGui::BeginTooltip();
    ImGui::TextColored(process_color_v(hover_index), "%s", hover_lane->name.c_str());
    ImGui::SameLine();
    ImGui::TextDisabled("pid %d  ppid %d  %s%s", hover_lane->pid, hover_lane->ppid,
                        hover_lane->spawn ? "spawn" : "fork", hover_lane->daemon ? "  daemon" : "");
    ImGui::Text("t = %.4f s", tm / 1e9);
    if (seg) {
      const int64_t end = seg->t1 == kOpenEnd ? now : seg->t1;
      ImGui::ColorButton("##st", ImGui::ColorConvertU32ToFloat4(state_color(seg->state)),
                         ImGuiColorEditFlags_NoTooltip, ImVec2(12, 12));
      ImGui::SameLine();
      ImGui::TextUnformatted(tr(state_text(seg->state), s.lang));
      if (seg->obj >= 0) {
        ImGui::SameLine();
        ImGui::Text("(%s)", model.object_name(seg->obj).c_str());
      }
      if (seg->state == LaneState::Joining) {
        ImGui::SameLine();
        ImGui::Text("join(%d)", seg->other);
      }
      if (seg->state == LaneState::Killed && !hover_lane->killed_by.empty()) {
        ImGui::SameLine();
        ImGui::Text("signal %lld (%s)", static_cast<long long>(hover_lane->exit_value),
                    hover_lane->killed_by.c_str());
      } else if (seg->state == LaneState::Exited) {
        ImGui::SameLine();
        ImGui::Text("exitcode = %lld", static_cast<long long>(hover_lane->exit_value));
      } else {
        ImGui::TextDisabled("%.4f s → %.4f s  (%.1f ms)", static_cast<double>(seg->t0) / 1e9,
                            static_cast<double>(end) / 1e9,
                            static_cast<double>(end - seg->t0) / 1e6);
      }
      if (seg->holding && seg->state != LaneState::Holding)
        ImGui::TextColored(ImGui::ColorConvertU32ToFloat4(state_color(LaneState::Holding)), "+ %s",
                           tr(T::StateHolding, s.lang));
    }
    ImGui::EndTooltip();
  }
  ImGui::EndChild();
}

}  // namespace mpviz::gui
