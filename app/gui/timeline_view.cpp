#include "app/gui/timeline_view.hpp"

#include <imgui.h>

#include <algorithm>
#include <cmath>
#include <csignal>
#include <cstdio>

#include "app/gui/event_text.hpp"
#include "app/gui/panels.hpp"
#include "app/gui/theme.hpp"

namespace mpviz::gui {
namespace {

constexpr float kLabelWidth = 200;
constexpr float kLaneHeight = 24;
constexpr float kLaneGap = 4;
constexpr float kRulerHeight = 22;
constexpr float kIndent = 12;
constexpr double kMinSpanNs = 1e5;   // zoom-in limit: 0.1 ms across the view
constexpr float kTickSpacingPx = 90;
constexpr size_t kMaxMarkerEvents = 4000;  // print markers only when this few are visible
constexpr size_t kAllFlowsMax = 300;       // draw every flow when there are at most this many

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

// Exited with a nonzero code: Python's uncaught exception exits with 1.
bool failed_exit(const Lane& lane, LaneState st) { return st == LaneState::Exited && lane.exit_value != 0; }
ImU32 failed_color() { return IM_COL32(kFailedExitRgb.r, kFailedExitRgb.g, kFailedExitRgb.b, 255); }

ImU32 flow_color(FlowKind k, int alpha) {
  switch (k) {
    case FlowKind::Pipe: return IM_COL32(0, 172, 193, alpha);
    case FlowKind::Queue: return IM_COL32(kQueueBoxRgb.r, kQueueBoxRgb.g, kQueueBoxRgb.b, alpha);
    case FlowKind::Semaphore: return IM_COL32(255, 143, 0, alpha);
  }
  return IM_COL32(200, 200, 200, alpha);
}

void arrow(ImDrawList* dl, ImVec2 a, ImVec2 b, ImU32 col, float thick) {
  dl->AddLine(a, b, col, thick);
  const float dx = b.x - a.x, dy = b.y - a.y;
  const float len = std::sqrt(dx * dx + dy * dy);
  if (len < 1) return;
  const float ux = dx / len, uy = dy / len, h = px(8), w = px(4);
  dl->AddTriangleFilled(b, ImVec2(b.x - ux * h - uy * w, b.y - uy * h + ux * w),
                        ImVec2(b.x - ux * h + uy * w, b.y - uy * h - ux * w), col);
}

}  // namespace

void TimelineView::zoom(double factor) {
  const double mid = (t0_ + t1_) / 2;
  const double span = std::max(kMinSpanNs, (t1_ - t0_) * factor);
  t0_ = mid - span / 2;
  t1_ = mid + span / 2;
  follow_ = false;
}

// A process held at a step-mode gate: cyan with dark diagonal hatching.
static void draw_held_bar(ImDrawList* dl, ImVec2 a, ImVec2 b) {
  dl->AddRectFilled(a, b, held_color());
  dl->PushClipRect(a, b, true);
  const float h = b.y - a.y;
  for (float x = a.x - h; x < b.x; x += px(6))
    dl->AddLine(ImVec2(x, b.y), ImVec2(x + h, a.y), IM_COL32(0, 77, 86, 255), px(1.5f));
  dl->PopClipRect();
}

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
    ImGui::SameLine(0, px(14));
    if (ImGui::GetContentRegionAvail().x < w) ImGui::NewLine();
    ImVec2 p = ImGui::GetCursorScreenPos();
    float dy = (ImGui::GetFrameHeight() - sw) * 0.5f;
    dl->AddRectFilled(ImVec2(p.x, p.y + dy), ImVec2(p.x + sw, p.y + dy + sw), state_color(st));
    ImGui::Dummy(ImVec2(sw, ImGui::GetFrameHeight()));
    ImGui::SameLine(0, 4);
    ImGui::TextUnformatted(name);
  }
  // Step mode: processes stopped at a gate before their next operation.
  if (s.run.live() && (s.held || !s.pending.empty())) {
    const char* name = tr(T::StateHeld, s.lang);
    const float w = sw + 4 + ImGui::CalcTextSize(name).x;
    ImGui::SameLine(0, px(14));
    if (ImGui::GetContentRegionAvail().x < w) ImGui::NewLine();
    const ImVec2 p = ImGui::GetCursorScreenPos();
    const float dy = (ImGui::GetFrameHeight() - sw) * 0.5f;
    draw_held_bar(dl, ImVec2(p.x, p.y + dy), ImVec2(p.x + sw, p.y + dy + sw));
    ImGui::Dummy(ImVec2(sw, ImGui::GetFrameHeight()));
    ImGui::SameLine(0, 4);
    ImGui::TextUnformatted(name);
  }
  // A process exited with a nonzero code: "failed" joins the legend.
  bool any_failed = false;
  for (const Lane& lane : s.run.lanes().lanes())
    any_failed = any_failed || (lane.ended && lane.killed_by.empty() && lane.exit_value != 0);
  if (any_failed) {
    const char* name = tr(T::StateFailed, s.lang);
    const float w = sw + 4 + ImGui::CalcTextSize(name).x;
    ImGui::SameLine(0, px(14));
    if (ImGui::GetContentRegionAvail().x < w) ImGui::NewLine();
    const ImVec2 p = ImGui::GetCursorScreenPos();
    const float dy = (ImGui::GetFrameHeight() - sw) * 0.5f;
    dl->AddRectFilled(ImVec2(p.x, p.y + dy), ImVec2(p.x + sw, p.y + dy + sw), failed_color());
    ImGui::Dummy(ImVec2(sw, ImGui::GetFrameHeight()));
    ImGui::SameLine(0, 4);
    ImGui::TextUnformatted(name);
  }
}

void TimelineView::draw_ruler(float x0, float x1, float y0, float h) {
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const double span = t1_ - t0_;
  const double ns_per_px = span / std::max(1.0f, x1 - x0);
  const double step = nice_step(px(kTickSpacingPx) * ns_per_px);
  const int decimals = std::clamp(static_cast<int>(-std::floor(std::log10(step / 1e9))), 0, 6);
  const ImU32 tick = dim_text();
  dl->AddLine(ImVec2(x0, y0 + h - 1), ImVec2(x1, y0 + h - 1), tick);
  char label[32];
  for (double t = std::ceil(t0_ / step) * step; t <= t1_; t += step) {
    float x = x0 + static_cast<float>((t - t0_) / ns_per_px);
    dl->AddLine(ImVec2(x, y0 + h - 6), ImVec2(x, y0 + h - 1), tick);
    std::snprintf(label, sizeof label, "%.*fs", decimals, t / 1e9);
    if (x + 3 + ImGui::CalcTextSize(label).x > x1) break;  // no half labels at the edge
    dl->AddText(ImVec2(x + 3, y0), strong_text(), label);
  }
}

// Children under their parent, in start order (depth-first).
void TimelineView::update_order(const AppState& s) {
  if (order_gen_ == s.run.generation()) return;
  order_gen_ = s.run.generation();
  const auto& lanes = s.run.lanes().lanes();
  const size_t n = lanes.size();
  order_.clear();
  depth_.assign(n, 0);
  lane_y_.assign(n, -1.0f);
  std::vector<char> placed(n, 0);
  // Iterative DFS: roots are lanes whose parent is not a lane of the run.
  std::vector<std::pair<int, int>> stack;  // (lane, depth)
  for (size_t r = 0; r < n; ++r) {
    if (placed[r] || s.run.lanes().index_of(lanes[r].ppid) >= 0) continue;
    stack.push_back({static_cast<int>(r), 0});
    while (!stack.empty()) {
      auto [i, d] = stack.back();
      stack.pop_back();
      if (placed[static_cast<size_t>(i)]) continue;
      placed[static_cast<size_t>(i)] = 1;
      order_.push_back(i);
      depth_[static_cast<size_t>(i)] = d;
      for (size_t c = n; c-- > 0;)  // reversed: the first child is popped first
        if (!placed[c] && lanes[c].ppid == lanes[static_cast<size_t>(i)].pid && c != static_cast<size_t>(i))
          stack.push_back({static_cast<int>(c), std::min(d + 1, 6)});
    }
  }
  for (size_t i = 0; i < n; ++i)  // cycles or anything missed: at the end
    if (!placed[i]) order_.push_back(static_cast<int>(i));
}

void TimelineView::update_pool_tasks(const AppState& s) {
  if (pool_gen_ == s.analysis.built_generation()) return;
  pool_gen_ = s.analysis.built_generation();
  const auto& spans = s.analysis.timeline().spans;
  for (auto& v : pool_spans_) v.clear();
  pool_spans_.resize(s.run.lanes().lanes().size());
  for (size_t i = 0; i < spans.size(); ++i) {
    if (spans[i].kind != SpanKind::PoolTask) continue;
    int li = s.run.lanes().index_of(spans[i].pid);
    if (li >= 0 && static_cast<size_t>(li) < pool_spans_.size())
      pool_spans_[static_cast<size_t>(li)].push_back(static_cast<uint32_t>(i));
  }
}

void TimelineView::draw_flows(AppState& s, float bx0, float bx1, int hover_lane) {
  const auto& flows = s.analysis.timeline().flows;
  if (flows.empty()) return;
  const LaneModel& model = s.run.lanes();
  const int32_t focus = hover_lane >= 0 ? model.lanes()[static_cast<size_t>(hover_lane)].pid : 0;
  if (!focus && flows.size() > kAllFlowsMax) return;
  // Flows are built in receive order (sorted by t_to): the visible ones are
  // those with t_to in [t0, t1 + the longest flow]. Cached per analysis.
  if (flows_gen_ != s.analysis.built_generation()) {
    flows_gen_ = s.analysis.built_generation();
    flows_sorted_ = std::is_sorted(flows.begin(), flows.end(),
                                   [](const Flow& x, const Flow& y) { return x.t_to < y.t_to; });
    max_flow_ns_ = 0;
    for (const Flow& f : flows) max_flow_ns_ = std::max(max_flow_ns_, f.t_to - f.t_from);
  }
  auto first = flows.begin(), stop = flows.end();
  if (flows_sorted_) {
    first = std::lower_bound(flows.begin(), flows.end(), t0_,
                             [](const Flow& f, double t) { return static_cast<double>(f.t_to) < t; });
    stop = std::upper_bound(first, flows.end(), t1_ + static_cast<double>(max_flow_ns_),
                            [](double t, const Flow& f) { return t < static_cast<double>(f.t_to); });
  }
  ImDrawList* dl = ImGui::GetWindowDrawList();
  auto tx = [&](int64_t t) { return bx0 + static_cast<float>((static_cast<double>(t) - t0_) / ns_per_px_); };
  // Arrows of the same lanes and kind whose ends fall within a pixel of the
  // last one drawn look the same: draw one (key: lanes, kind, mine).
  flow_last_.clear();
  for (auto fi = first; fi != stop; ++fi) {
    const Flow& f = *fi;
    const bool mine = focus && (f.from_pid == focus || f.to_pid == focus);
    if (focus && !mine && flows.size() > kAllFlowsMax) continue;
    const int a = model.index_of(f.from_pid), b = model.index_of(f.to_pid);
    if (a < 0 || b < 0) continue;
    const float ya = lane_y_[static_cast<size_t>(a)], yb = lane_y_[static_cast<size_t>(b)];
    if (ya < 0 || yb < 0) continue;
    const float xa = tx(f.t_from), xb = tx(f.t_to);
    if (std::max(xa, xb) < bx0 || std::min(xa, xb) > bx1) continue;
    const uint64_t key = (static_cast<uint64_t>(static_cast<uint32_t>(a)) << 32) ^
                         (static_cast<uint64_t>(static_cast<uint32_t>(b)) << 3) ^
                         (static_cast<uint64_t>(f.kind) << 1) ^ (mine ? 1u : 0u);
    auto [slot, fresh] = flow_last_.try_emplace(key, xa, xb);
    if (!fresh) {
      if (std::fabs(xa - slot->second.first) < 1 && std::fabs(xb - slot->second.second) < 1) continue;
      slot->second = {xa, xb};
    }
    arrow(dl, ImVec2(xa, ya), ImVec2(xb, yb), flow_color(f.kind, mine ? 255 : 150),
          mine ? px(2.5f) : px(1.5f));
  }
}

void TimelineView::lane_menu(AppState& s) {
  if (!ImGui::BeginPopup("lane_menu")) return;
  const Lane* lane = s.run.lanes().find(menu_pid_);
  ImGui::TextDisabled("%s  pid %d", lane ? lane->name.c_str() : "?", menu_pid_);
  ImGui::Separator();
  const bool can = s.run.live() && lane && !lane->ended;
  if (ImGui::MenuItem(tr(T::Kill, s.lang), nullptr, false, can)) s.run.kill(menu_pid_, SIGKILL);
  if (ImGui::MenuItem(tr(T::Terminate, s.lang), nullptr, false, can)) s.run.kill(menu_pid_, SIGTERM);
  if (!s.pending.empty()) {
    bool has = false;
    for (const PendingOp& op : s.pending) has = has || op.pid == menu_pid_;
    if (ImGui::MenuItem(tr(T::StepThis, s.lang), nullptr, false, has)) s.step_pid(menu_pid_);
  }
  ImGui::EndPopup();
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
  update_order(s);
  update_pool_tasks(s);

  const ImVec2 origin = ImGui::GetCursorScreenPos();
  const float width = ImGui::GetContentRegionAvail().x;
  const float bx0 = origin.x + px(kLabelWidth);  // bars area
  const float bx1 = origin.x + width - 8;
  if (bx1 - bx0 < 50) return;
  draw_ruler(bx0, bx1, origin.y, px(kRulerHeight));
  ImGui::Dummy(ImVec2(width, px(kRulerHeight)));

  // The lanes scroll vertically; the mouse wheel is ours (zoom).
  ImGui::BeginChild("lanes", ImVec2(0, 0), false, ImGuiWindowFlags_NoScrollWithMouse);
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const double ns_per_px = (t1_ - t0_) / static_cast<double>(bx1 - bx0);
  ns_per_px_ = ns_per_px;
  bx0_ = bx0;
  auto tx = [&](double t) { return bx0 + static_cast<float>((t - t0_) / ns_per_px); };
  const ImVec2 clip0 = ImGui::GetWindowPos();
  const float view_h = ImGui::GetWindowHeight();
  const float lane_h = px(kLaneHeight);

  // Faint grid lines at the ruler's ticks.
  const double step = nice_step(px(kTickSpacingPx) * ns_per_px);
  const ImU32 grid = light_theme() ? IM_COL32(0, 0, 0, 22) : IM_COL32(255, 255, 255, 18);
  for (double t = std::ceil(t0_ / step) * step; t <= t1_; t += step)
    dl->AddLine(ImVec2(tx(t), clip0.y), ImVec2(tx(t), clip0.y + view_h), grid);

  const ImVec2 mouse = ImGui::GetIO().MousePos;
  const Lane* hover_lane = nullptr;
  int hover_index = -1;
  const LaneItem* hover_item = nullptr;
  bool hover_label = false;
  const auto& lanes = model.lanes();
  const LaneView lv{t0_, ns_per_px, bx0, bx1, now};
  const auto& spans = s.analysis.timeline().spans;
  if (block_rewrite_ != s.run.rewrite_generation()) {  // lanes rebuilt: start over
    block_rewrite_ = s.run.rewrite_generation();
    block_max_.clear();
  }
  if (block_max_.size() < lanes.size()) block_max_.resize(lanes.size());
  std::fill(lane_y_.begin(), lane_y_.end(), -1.0f);
  if (lane_y_.size() < lanes.size()) lane_y_.resize(lanes.size(), -1.0f);
  for (int li : order_) {
    if (static_cast<size_t>(li) >= lanes.size()) continue;
    const Lane& lane = lanes[static_cast<size_t>(li)];
    const ImVec2 p = ImGui::GetCursorScreenPos();
    const float ya = p.y, yb = p.y + lane_h;
    ImGui::Dummy(ImVec2(width, lane_h + px(kLaneGap) - ImGui::GetStyle().ItemSpacing.y));
    if (!ImGui::IsItemVisible()) continue;
    lane_y_[static_cast<size_t>(li)] = (ya + yb) * 0.5f;
    const bool in_row = mouse.y >= ya && mouse.y < yb + px(kLaneGap);
    if (in_row && mouse.x >= p.x && mouse.x < bx1) {
      hover_lane = &lane;
      hover_index = li;
      hover_label = mouse.x < bx0;
    }
    // Label: indented under its parent, name in the process's colour, pid dimmed.
    char pid[24];
    std::snprintf(pid, sizeof pid, "%d", lane.pid);
    const float ty = ya + (lane_h - ImGui::GetTextLineHeight()) * 0.5f;
    const float indent = px(kIndent) * static_cast<float>(depth_[static_cast<size_t>(li)]);
    dl->PushClipRect(ImVec2(p.x, ya), ImVec2(bx0 - 6, yb), true);
    if (indent > 0)
      dl->AddLine(ImVec2(p.x + indent - px(6), ya), ImVec2(p.x + indent - px(6), ty + px(8)), dim_text());
    dl->AddText(ImVec2(p.x + 4 + indent, ty), process_color(li), lane.name.c_str());
    float pw = ImGui::CalcTextSize(pid).x;
    dl->AddText(ImVec2(bx0 - 10 - pw, ty), dim_text(), pid);
    dl->PopClipRect();

    // Bars.
    dl->PushClipRect(ImVec2(bx0, ya), ImVec2(bx1, yb), true);
    dl->AddRectFilled(ImVec2(bx0, ya), ImVec2(bx1, yb),
                      light_theme() ? IM_COL32(0, 0, 0, 12) : IM_COL32(255, 255, 255, 10));
    BlockMax& bm = block_max_[static_cast<size_t>(li)];
    update_block_max(lane.segments, bm);
    lane_items(lane.segments, lv, items_, &bm.max);
    char num[24];
    for (const LaneItem& it : items_) {
      if (it.count > 1) {
        // "N events": a grey hatched block, the count when it fits.
        dl->AddRectFilled(ImVec2(it.x0, ya + 2), ImVec2(it.x1, yb - 2), IM_COL32(128, 128, 128, 200));
        for (float x = it.x0; x < it.x1; x += 4)
          dl->AddLine(ImVec2(x, yb - 2), ImVec2(std::min(x + 4, it.x1), ya + 2), IM_COL32(90, 90, 90, 255));
        std::snprintf(num, sizeof num, "%d", it.count);
        if (ImGui::CalcTextSize(num).x + 4 < it.x1 - it.x0)
          dl->AddText(ImVec2(it.x0 + 2, ty), IM_COL32(255, 255, 255, 255), num);
      } else if (is_terminal(it.state)) {
        // After the end: a thin line, with a mark where the process ended.
        // A nonzero exit code (an uncaught exception) is a failure: a wide
        // bright mark and "exit code N" after it.
        const bool failed = failed_exit(lane, it.state);
        const ImU32 col = failed ? failed_color() : state_color(it.state);
        const float mid = (ya + yb) * 0.5f;
        dl->AddRectFilled(ImVec2(it.x0, mid - 1.5f), ImVec2(std::max(it.x1, it.x0 + 1), mid + 1.5f), col);
        dl->AddRectFilled(ImVec2(it.x0, ya + 3), ImVec2(it.x0 + (failed ? px(8) : 3), yb - 3), col);
        if (failed) {
          char code[48];
          std::snprintf(code, sizeof code, tr(T::ExitCodeFmt, s.lang),
                        static_cast<long long>(lane.exit_value));
          // On a dark (light) pill, so the line behind does not cross it.
          const ImVec2 ta(it.x0 + px(12), ty), tsz = ImGui::CalcTextSize(code);
          dl->AddRectFilled(ImVec2(ta.x - px(3), ta.y), ImVec2(ta.x + tsz.x + px(3), ta.y + tsz.y),
                            light_theme() ? IM_COL32(255, 255, 255, 230) : IM_COL32(20, 20, 24, 230),
                            px(3));
          dl->AddText(ta, col, code);
        }
      } else {
        dl->AddRectFilled(ImVec2(it.x0, ya), ImVec2(it.x1, yb), state_color(it.state));
        if (it.holding && it.state != LaneState::Holding)
          dl->AddRectFilled(ImVec2(it.x0, yb - 5), ImVec2(it.x1, yb), state_color(LaneState::Holding));
      }
      if (hover_lane == &lane && mouse.x >= it.x0 && mouse.x < it.x1 + 1) hover_item = &it;
    }
    // Step mode: a process with a pending operation is held at its gate; its
    // current (open-ended) segment is drawn as "held", not "running".
    if (!s.pending.empty() && !lane.segments.empty() && lane.segments.back().t1 == kOpenEnd &&
        !is_terminal(lane.segments.back().state)) {
      bool pending = false;
      for (const PendingOp& op : s.pending) pending = pending || op.pid == lane.pid;
      if (pending) {
        const Segment& seg = lane.segments.back();
        const float xa = std::max(static_cast<float>(tx(static_cast<double>(seg.t0))), bx0);
        const float xb = std::min(static_cast<float>(tx(static_cast<double>(now))), bx1);
        if (xb >= bx0 && xa <= bx1) {
          draw_held_bar(dl, ImVec2(xa, ya), ImVec2(std::max(xb, xa + 2), yb));
          if (seg.holding || seg.state == LaneState::Holding)
            dl->AddRectFilled(ImVec2(xa, yb - 5), ImVec2(std::max(xb, xa + 2), yb),
                              state_color(LaneState::Holding));
        }
      }
    }
    // Pool tasks: a strip along the top of the worker's lane, with the task.
    if (static_cast<size_t>(li) < pool_spans_.size()) {
      for (uint32_t si : pool_spans_[static_cast<size_t>(li)]) {
        const Span& sp = spans[si];
        const float xa = std::max(tx(static_cast<double>(sp.begin)), bx0);
        const float xb = std::min(tx(static_cast<double>(sp.open ? now : sp.end)), bx1);
        if (xb < bx0 || xa > bx1) continue;
        dl->AddRectFilled(ImVec2(xa, ya), ImVec2(std::max(xb, xa + 1), ya + lane_h * 0.45f),
                          IM_COL32(121, 85, 72, 255));
        dl->AddRect(ImVec2(xa, ya), ImVec2(std::max(xb, xa + 1), ya + lane_h * 0.45f),
                    IM_COL32(255, 255, 255, 160));
        // The engine's detail is "task N" (English): label it in the UI language.
        int task = 0;
        if (std::sscanf(sp.detail.c_str(), "task %d", &task) == 1)
          std::snprintf(num, sizeof num, tr(T::TaskFmt, s.lang), task);
        else
          std::snprintf(num, sizeof num, "%s", sp.detail.c_str());
        const ImVec2 ts = ImGui::CalcTextSize(num);
        if (ts.x + 4 < xb - xa) {
          dl->AddText(nullptr, ImGui::GetFontSize() * 0.7f, ImVec2(xa + 2, ya), IM_COL32(255, 255, 255, 255), num);
        }
      }
    }
    dl->PopClipRect();
  }

  // Print markers: a small triangle at the top of the lane (only when few
  // events are visible: a marker per event is no use when they overlap).
  {
    const auto& evs = s.run.events();
    auto a = std::lower_bound(evs.begin(), evs.end(), static_cast<int64_t>(t0_),
                              [](const Event& e, int64_t t) { return e.t_ns < t; });
    auto b = std::upper_bound(a, evs.end(), static_cast<int64_t>(t1_),
                              [](int64_t t, const Event& e) { return t < e.t_ns; });
    if (static_cast<size_t>(b - a) <= kMaxMarkerEvents)
      for (auto it = a; it != b; ++it) {
        if (it->kind != EventKind::print) continue;
        const int li = model.index_of(it->pid);
        if (li < 0 || lane_y_[static_cast<size_t>(li)] < 0) continue;
        const float x = tx(static_cast<double>(it->t_ns)), y = lane_y_[static_cast<size_t>(li)] - lane_h / 2;
        dl->AddTriangleFilled(ImVec2(x - px(4), y - px(1)), ImVec2(x + px(4), y - px(1)), ImVec2(x, y + px(6)),
                              strong_text());
      }
  }

  // Lost updates: a red tick across the writer's lane where its write
  // overwrote another process's update; the explanation on hover.
  {
    const auto& lu = s.analysis.timeline().lost_updates;
    auto a = std::lower_bound(lu.begin(), lu.end(), static_cast<int64_t>(t0_),
                              [](const LostUpdate& u, int64_t t) { return u.t < t; });
    const LostUpdate* hovered = nullptr;
    for (auto it = a; it != lu.end() && static_cast<double>(it->t) <= t1_; ++it) {
      const int li = model.index_of(it->pid);
      if (li < 0 || lane_y_[static_cast<size_t>(li)] < 0) continue;
      const float x = tx(static_cast<double>(it->t)), y = lane_y_[static_cast<size_t>(li)];
      // Not the lock-wait red: a thin line and a white-edged triangle below the lane.
      const ImU32 col = IM_COL32(255, 23, 68, 255);
      dl->AddLine(ImVec2(x, y - lane_h / 2), ImVec2(x, y + lane_h / 2), col, px(1.5f));
      const ImVec2 t0(x - px(5), y + lane_h / 2 + px(5)), t1(x + px(5), y + lane_h / 2 + px(5)),
          t2(x, y + lane_h / 2 - px(3));
      dl->AddTriangleFilled(t0, t1, t2, col);
      dl->AddTriangle(t0, t1, t2, IM_COL32(255, 255, 255, 230), px(1));
      if (std::abs(mouse.x - x) <= px(4) && std::abs(mouse.y - y) <= lane_h / 2) hovered = &*it;
    }
    if (hovered) {
      ImGui::BeginTooltip();
      ImGui::TextColored(ImVec4(1.0f, 0.3f, 0.3f, 1), "%s", tr(T::LostUpdateTitle, s.lang));
      ImGui::PushTextWrapPos(px(420));
      ImGui::TextUnformatted(lost_update_text(s, *hovered).c_str());
      ImGui::PopTextWrapPos();
      ImGui::EndTooltip();
    }
  }

  draw_flows(s, bx0, bx1, hover_index);

  // "Now" while the run is live; the time cursor.
  if (s.run.live()) {
    float x = tx(static_cast<double>(now));
    if (x >= bx0 && x <= bx1)
      dl->AddLine(ImVec2(x, clip0.y), ImVec2(x, clip0.y + view_h),
                  light_theme() ? IM_COL32(0, 0, 0, 110) : IM_COL32(255, 255, 255, 120), 1.5f);
  }
  if (s.cursor_ns != kCursorNow) {
    float x = tx(static_cast<double>(s.cursor_ns));
    if (x >= bx0 && x <= bx1) {
      dl->AddLine(ImVec2(x, clip0.y), ImVec2(x, clip0.y + view_h), IM_COL32(255, 64, 129, 255), px(2));
      dl->AddTriangleFilled(ImVec2(x - px(6), clip0.y), ImVec2(x + px(6), clip0.y), ImVec2(x, clip0.y + px(8)),
                            IM_COL32(255, 64, 129, 255));
    }
  }

  // Interaction: wheel zooms around the mouse, drag pans, click puts the cursor.
  ImGuiIO& io = ImGui::GetIO();
  const bool hovered = ImGui::IsWindowHovered();
  const bool over_bars = hovered && mouse.x >= bx0 && mouse.x < bx1;
  if (over_bars && io.MouseWheel != 0) {
    const double tm = t0_ + (mouse.x - bx0) * ns_per_px;
    const double f = std::pow(0.8, static_cast<double>(io.MouseWheel));
    double span = std::max(kMinSpanNs, (t1_ - t0_) * f);
    t0_ = tm - (tm - t0_) * span / (t1_ - t0_);
    t1_ = t0_ + span;
    follow_ = false;
  }
  if (over_bars && ImGui::IsMouseClicked(ImGuiMouseButton_Left)) {
    dragging_ = true;
    drag_dist_ = 0;
  }
  if (dragging_ && io.MouseDelta.x != 0) {
    const double dt = -io.MouseDelta.x * ns_per_px;
    drag_dist_ += std::fabs(io.MouseDelta.x);
    if (drag_dist_ > 3) {
      t0_ += dt;
      t1_ += dt;
      follow_ = false;
    }
  }
  if (dragging_ && ImGui::IsMouseReleased(ImGuiMouseButton_Left)) {
    if (drag_dist_ <= 3 && mouse.x >= bx0 && mouse.x < bx1) {
      const double tm = t0_ + (mouse.x - bx0) * ns_per_px;
      s.cursor_ns = std::max<int64_t>(0, static_cast<int64_t>(tm));
      if (!s.run.loaded() && s.cursor_ns >= now) s.cursor_ns = kCursorNow;
    }
    dragging_ = false;
  }
  if (!ImGui::IsMouseDown(ImGuiMouseButton_Left)) dragging_ = false;
  if (hover_lane && hovered && ImGui::IsMouseClicked(ImGuiMouseButton_Right)) {
    menu_pid_ = hover_lane->pid;
    ImGui::OpenPopup("lane_menu");
  }
  lane_menu(s);

  // Hover tooltip: the process, the state under the mouse, the nearest event.
  if (hover_lane && !dragging_ && hovered && !ImGui::IsPopupOpen("lane_menu")) {
    const double tm = t0_ + (mouse.x - bx0) * ns_per_px;
    ImGui::BeginTooltip();
    ImGui::TextColored(process_color_v(hover_index), "%s", hover_lane->name.c_str());
    ImGui::SameLine();
    ImGui::TextDisabled("pid %d  ppid %d  %s%s", hover_lane->pid, hover_lane->ppid,
                        hover_lane->forkserver ? "forkserver" : hover_lane->spawn ? "spawn" : "fork",
                        hover_lane->daemon ? "  daemon" : "");
    if (hover_label) {
      if (s.run.live() && !hover_lane->ended)
        ImGui::TextDisabled("%s: %s / %s", "右键 / right-click", tr(T::Kill, s.lang),
                            tr(T::Terminate, s.lang));
    } else if (hover_item && hover_item->count > 1) {
      ImGui::Text(tr(T::EventsFolded, s.lang), hover_item->count);
    } else {
      ImGui::Text("t = %.4f s", tm / 1e9);
      const Segment* seg = LaneModel::segment_at(*hover_lane, static_cast<int64_t>(tm));
      if (seg) {
        const int64_t end = seg->t1 == kOpenEnd ? now : seg->t1;
        const bool failed = failed_exit(*hover_lane, seg->state);
        ImGui::ColorButton("##st",
                           ImGui::ColorConvertU32ToFloat4(failed ? failed_color() : state_color(seg->state)),
                           ImGuiColorEditFlags_NoTooltip, ImVec2(12, 12));
        ImGui::SameLine();
        ImGui::TextUnformatted(tr(failed ? T::StateFailed : state_text(seg->state), s.lang));
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
        if (seg->t1 == kOpenEnd) {
          bool pending = false;
          for (const PendingOp& op : s.pending) pending = pending || op.pid == hover_lane->pid;
          if (pending)
            ImGui::TextColored(ImGui::ColorConvertU32ToFloat4(held_color()), "%s",
                               tr(T::StateHeld, s.lang));
        }
      }
      // The events of this process within a few pixels of the mouse.
      const auto& evs = s.run.events();
      const int64_t lo = static_cast<int64_t>(tm - 4 * ns_per_px), hi = static_cast<int64_t>(tm + 4 * ns_per_px);
      auto it = std::lower_bound(evs.begin(), evs.end(), lo,
                                 [](const Event& e, int64_t t) { return e.t_ns < t; });
      char buf[256];
      int shown = 0, scanned = 0;
      for (; it != evs.end() && it->t_ns <= hi && shown < 6 && scanned < 2000; ++it, ++scanned) {
        if (it->pid != hover_lane->pid) continue;
        describe_event(*it, s.lang, buf, sizeof buf);
        if (shown++ == 0) ImGui::Separator();
        ImGui::Text("%.4f s  %s", static_cast<double>(it->t_ns) / 1e9, buf);
      }
    }
    ImGui::EndTooltip();
  }
  ImGui::EndChild();
}

}  // namespace mpviz::gui
