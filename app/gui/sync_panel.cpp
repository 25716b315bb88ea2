// The sync-object panel at the cursor time (live: now): each lock with its
// owner ("held by a dead process") and waiters; each semaphore's count as a
// gauge and a step graph over the run; each queue's items as boxes with the
// capacity; each pipe's messages in flight per receiving end; each shared
// Value with its last writer, its lost updates and a step graph over the run.
#include <imgui.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <unordered_map>
#include <vector>

#include "app/gui/panels.hpp"
#include "app/gui/pool_view.hpp"
#include "app/gui/theme.hpp"

namespace mpviz::gui {
namespace {

constexpr int kMaxBoxes = 40;  // queue items drawn; the rest are counted

void proc_name(const AppState& s, int32_t pid) {
  const int li = s.run.lanes().index_of(pid);
  const Lane* lane = li >= 0 ? &s.run.lanes().lanes()[static_cast<size_t>(li)] : nullptr;
  ImGui::TextColored(process_color_v(li), "%s", lane ? lane->name.c_str() : "?");
  ImGui::SameLine(0, 4);
  ImGui::TextDisabled("%d", pid);
}

void waiters(const AppState& s, const std::vector<int32_t>& pids) {
  if (pids.empty()) return;
  ImGui::Indent(px(16));
  ImGui::TextColored(ImGui::ColorConvertU32ToFloat4(state_color(LaneState::LockWait)), "%s:",
                     tr(T::Waiters, s.lang));
  // Names flow left to right and wrap to the next line at the panel's edge.
  const float right = ImGui::GetWindowPos().x + ImGui::GetWindowContentRegionMax().x;
  const float spacing = ImGui::GetStyle().ItemSpacing.x;
  char num[16];
  for (int32_t pid : pids) {
    const int li = s.run.lanes().index_of(pid);
    const Lane* lane = li >= 0 ? &s.run.lanes().lanes()[static_cast<size_t>(li)] : nullptr;
    std::snprintf(num, sizeof num, "%d", pid);
    const float w = ImGui::CalcTextSize(lane ? lane->name.c_str() : "?").x + 4 + ImGui::CalcTextSize(num).x;
    const float x_after = ImGui::GetItemRectMax().x + spacing;
    if (x_after + w <= right) ImGui::SameLine();
    proc_name(s, pid);
  }
  ImGui::Unindent(px(16));
}

// Boxes left to right, wrapping; filled ones carry text, empty ones are outlines.
void boxes(const std::deque<std::string>& items, int64_t empty_slots, ImU32 fill) {
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const float h = ImGui::GetTextLineHeight() + px(6);
  const float right = ImGui::GetCursorScreenPos().x + ImGui::GetContentRegionAvail().x;
  ImVec2 p = ImGui::GetCursorScreenPos();
  const float x_start = p.x;
  float y_end = p.y + h;
  auto place = [&](float w) {
    if (p.x + w > right && p.x > x_start) {
      p.x = x_start;
      p.y += h + px(4);
    }
    ImVec2 at = p;
    p.x += w + px(4);
    y_end = p.y + h;
    return at;
  };
  int n = 0;
  for (const std::string& item : items) {
    if (n++ >= kMaxBoxes) break;
    const float w = std::max(h, ImGui::CalcTextSize(item.c_str()).x + px(10));
    ImVec2 a = place(w);
    dl->AddRectFilled(a, ImVec2(a.x + w, a.y + h), fill);
    dl->AddText(ImVec2(a.x + px(5), a.y + px(3)), IM_COL32(255, 255, 255, 255), item.c_str());
  }
  if (static_cast<int>(items.size()) > kMaxBoxes) {
    char more[32];
    std::snprintf(more, sizeof more, "+%d", static_cast<int>(items.size()) - kMaxBoxes);
    ImVec2 a = place(ImGui::CalcTextSize(more).x);
    dl->AddText(ImVec2(a.x, a.y + px(3)), dim_text(), more);
  }
  for (int64_t i = 0; i < std::min<int64_t>(empty_slots, kMaxBoxes - n); ++i) {
    ImVec2 a = place(h);
    dl->AddRect(a, ImVec2(a.x + h, a.y + h), dim_text(), 0, 0, px(1));
  }
  ImGui::Dummy(ImVec2(right - x_start, y_end - ImGui::GetCursorScreenPos().y));
}

// What step_graph draws for one counter at one place and size: rebuilt only
// when the points, the time span, the size or the position change (a loaded
// recording: once, until the panel scrolls), not walked every frame.
struct GraphCache {
  size_t n = 0;
  int64_t last_t = 0, t_end = 0, max_v = 0;
  float w = 0, h = 0;
  ImVec2 a;
  struct Line { ImVec2 p0, p1; float thick; };
  std::vector<Line> lines;
};

// Largest value of a counter's points (cached the same way).
int64_t counter_max(const std::vector<CounterPoint>& pts) {
  struct Max { size_t n = 0; int64_t last_t = 0, max = 0; };
  static std::unordered_map<const void*, Max> cache;
  if (cache.size() > 64) cache.clear();
  Max& m = cache[&pts];
  const int64_t last_t = pts.empty() ? 0 : pts.back().t;
  if (m.n != pts.size() || m.last_t != last_t) {
    m = Max{pts.size(), last_t, 0};
    for (const CounterPoint& cp : pts) m.max = std::max(m.max, cp.value);
  }
  return m.max;
}

// A step graph of a counter over [0, t_end] with the cursor marked.
void step_graph(const std::vector<CounterPoint>* pts, int64_t t_end, int64_t cursor, int64_t max_v) {
  const float w = ImGui::GetContentRegionAvail().x, h = px(34);
  const ImVec2 a = ImGui::GetCursorScreenPos();
  ImGui::Dummy(ImVec2(w, h));
  ImDrawList* dl = ImGui::GetWindowDrawList();
  dl->AddRectFilled(a, ImVec2(a.x + w, a.y + h), light_theme() ? IM_COL32(0, 0, 0, 14) : IM_COL32(255, 255, 255, 12));
  if (!pts || pts->empty() || t_end <= 0 || max_v <= 0) return;
  const double sx = (w - 2) / static_cast<double>(t_end);
  const ImU32 col = IM_COL32(255, 143, 0, 255);
  static std::unordered_map<const void*, GraphCache> caches;
  if (caches.size() > 64) caches.clear();
  GraphCache& gc = caches[pts];
  if (gc.n != pts->size() || gc.last_t != pts->back().t || gc.t_end != t_end || gc.max_v != max_v ||
      gc.w != w || gc.h != h || gc.a.x != a.x || gc.a.y != a.y) {
    gc.n = pts->size();
    gc.last_t = pts->back().t;
    gc.t_end = t_end;
    gc.max_v = max_v;
    gc.w = w;
    gc.h = h;
    gc.a = a;
    gc.lines.clear();
    const float sy = (h - 4) / static_cast<float>(max_v);
    auto X = [&](int64_t t) { return a.x + 1 + static_cast<float>(static_cast<double>(t) * sx); };
    auto Y = [&](int64_t v) { return a.y + h - 2 - sy * static_cast<float>(std::clamp<int64_t>(v, 0, max_v)); };
    // Per pixel column: one vertical min..max line and the last value (as Perfetto).
    float col_x = -1;
    int64_t lo = 0, hi = 0, prev = (*pts)[0].value;
    float prev_x = X((*pts)[0].t);
    for (const CounterPoint& cp : *pts) {
      const float x = std::floor(X(cp.t));
      if (x != col_x) {
        if (col_x >= 0) gc.lines.push_back({ImVec2(col_x, Y(lo)), ImVec2(col_x, Y(hi)), 1.0f});
        gc.lines.push_back({ImVec2(prev_x, Y(prev)), ImVec2(x, Y(prev)), px(1.5f)});
        col_x = x;
        lo = hi = prev;
        prev_x = x;
      }
      lo = std::min(lo, cp.value);
      hi = std::max(hi, cp.value);
      prev = cp.value;
    }
    gc.lines.push_back({ImVec2(col_x, Y(lo)), ImVec2(col_x, Y(hi)), 1.0f});
    gc.lines.push_back({ImVec2(prev_x, Y(prev)), ImVec2(a.x + w - 1, Y(prev)), px(1.5f)});
  }
  for (const GraphCache::Line& l : gc.lines)
    dl->AddLine(l.p0, l.p1, col, l.thick);
  const float cx = a.x + 1 + static_cast<float>(static_cast<double>(std::clamp<int64_t>(cursor, 0, t_end)) * sx);
  dl->AddLine(ImVec2(cx, a.y), ImVec2(cx, a.y + h), IM_COL32(255, 64, 129, 255), px(1.5f));
}

void section(const char* title) {
  ImGui::Spacing();
  ImGui::TextColored(ImGui::ColorConvertU32ToFloat4(strong_text()), "%s", title);
  ImGui::Separator();
}

// The pool at the cursor, rebuilt only when the events or the cursor move.
const PoolView& pool_at_cursor(const AppState& s) {
  static PoolView view;
  static uint64_t gen = ~0ull;
  static size_t applied = ~size_t{0};
  if (gen != s.run.generation() || applied != s.sync.applied()) {
    gen = s.run.generation();
    applied = s.sync.applied();
    view = build_pool_view(s.run.events(), applied);
  }
  return view;
}

void draw_pool(const AppState& s, const PoolView& pool) {
  using Stage = PoolTaskInfo::Stage;
  char buf[64];
  auto task_label = [&](const PoolTaskInfo& t) {
    std::snprintf(buf, sizeof buf, tr(T::TaskFmt, s.lang), static_cast<int>(t.task));
    return buf;
  };
  const ImVec4 dim = ImGui::ColorConvertU32ToFloat4(dim_text());
  // Waiting: submitted, no worker yet.
  const size_t n_wait = pool.count(Stage::Waiting);
  ImGui::TextColored(ImGui::ColorConvertU32ToFloat4(state_color(LaneState::Blocked)), "%s (%zu)",
                     tr(T::PoolWaiting, s.lang), n_wait);
  if (n_wait > 0) {
    const float right = ImGui::GetWindowPos().x + ImGui::GetWindowContentRegionMax().x;
    ImGui::Indent(px(16));
    bool first = true;
    for (const PoolTaskInfo& t : pool.tasks) {
      if (t.stage != Stage::Waiting) continue;
      const char* label = task_label(t);
      const float w = ImGui::CalcTextSize(label).x;
      if (!first && ImGui::GetItemRectMax().x + ImGui::GetStyle().ItemSpacing.x + w <= right) ImGui::SameLine();
      ImGui::TextUnformatted(label);
      first = false;
    }
    ImGui::Unindent(px(16));
  }
  // Running: worker -> task.
  ImGui::TextColored(ImGui::ColorConvertU32ToFloat4(state_color(LaneState::Running)), "%s (%zu)",
                     tr(T::PoolRunning, s.lang), pool.count(Stage::Running));
  ImGui::Indent(px(16));
  for (const PoolTaskInfo& t : pool.tasks) {
    if (t.stage != Stage::Running) continue;
    proc_name(s, t.worker);
    ImGui::SameLine();
    ImGui::TextUnformatted("←");
    ImGui::SameLine();
    ImGui::TextUnformatted(task_label(t));
    ImGui::SameLine();
    ImGui::TextColored(dim, "%s()", t.func.c_str());
  }
  ImGui::Unindent(px(16));
  // Finished: task, result, by which worker.
  ImGui::TextColored(ImGui::ColorConvertU32ToFloat4(state_color(LaneState::Sleeping)), "%s (%zu)",
                     tr(T::PoolDone, s.lang), pool.count(Stage::Done));
  ImGui::Indent(px(16));
  for (const PoolTaskInfo& t : pool.tasks) {
    if (t.stage != Stage::Done) continue;
    ImGui::TextUnformatted(task_label(t));
    if (!t.result.empty()) {
      ImGui::SameLine();
      ImGui::Text("= %s", t.result.c_str());
    }
    ImGui::SameLine();
    ImGui::TextColored(dim, "·");
    ImGui::SameLine();
    proc_name(s, t.worker);
  }
  ImGui::Unindent(px(16));
}

std::string lane_name(const AppState& s, int32_t pid) {
  const int li = s.run.lanes().index_of(pid);
  if (li < 0) return std::to_string(pid);
  return s.run.lanes().lanes()[static_cast<size_t>(li)].name;
}

void draw_values(const AppState& s, const SyncState& st, const TimelineModel& tm, int64_t cursor) {
  section(tr(T::Values, s.lang));
  const ImVec4 red(1.0f, 0.25f, 0.25f, 1);
  for (const auto& [name, v] : st.values) {
    ImGui::Text("%s = %s", name.c_str(), v.value.c_str());
    if (v.last_writer != 0) {
      ImGui::SameLine();
      ImGui::TextDisabled("%s", tr(T::LastWriter, s.lang));
      ImGui::SameLine();
      proc_name(s, v.last_writer);
    }
    if (v.lost > 0) {
      ImGui::TextColored(red, tr(T::LostCountFmt, s.lang), static_cast<long long>(v.lost));
      // The latest lost update of this value up to the cursor, explained.
      const auto& lu = tm.lost_updates;
      auto end = std::upper_bound(lu.begin(), lu.end(), cursor,
                                  [](int64_t t, const LostUpdate& u) { return t < u.t; });
      for (auto it = end; it != lu.begin();) {
        --it;
        if (it->obj != name) continue;
        ImGui::PushTextWrapPos(0);
        ImGui::TextColored(red, "%s", lost_update_text(s, *it).c_str());
        ImGui::PopTextWrapPos();
        break;
      }
    }
    auto it = tm.values.find(name);
    const std::vector<CounterPoint>* pts = it == tm.values.end() ? nullptr : &it->second;
    const int64_t max_v = pts ? std::max<int64_t>(1, counter_max(*pts)) : 1;
    step_graph(pts, std::max<int64_t>(tm.t_end, s.run.now_ns()), cursor, max_v);
  }
}

}  // namespace

std::string lost_update_text(const AppState& s, const LostUpdate& u) {
  const std::string writer = lane_name(s, u.pid);
  const std::string over = u.over_pid ? lane_name(s, u.over_pid) : std::string("?");
  char buf[512];
  std::snprintf(buf, sizeof buf, tr(T::LostHintFmt, s.lang), writer.c_str(), u.value.c_str(),
                u.obj.c_str(), u.over_value.empty() ? "?" : u.over_value.c_str(), over.c_str());
  return buf;
}

void draw_sync_panel(AppState& s) {
  const SyncState& st = s.sync.state();
  ImGui::TextDisabled("%s", tr(T::SyncObjects, s.lang));
  ImGui::SameLine();
  if (s.cursor_ns == kCursorNow && s.run.live()) ImGui::TextUnformatted(tr(T::AtNow, s.lang));
  else ImGui::Text(tr(T::AtCursor, s.lang), static_cast<double>(s.cursor_time()) / 1e9);
  const PoolView& pool = pool_at_cursor(s);
  if (st.locks.empty() && st.semaphores.empty() && st.queues.empty() && st.pipes.empty() &&
      st.values.empty() && pool.empty()) {
    ImGui::TextDisabled("%s", tr(T::NoSync, s.lang));
    return;
  }
  ImGui::BeginChild("sync_objects", ImVec2(0, 0), false);
  if (!st.locks.empty()) {
    section(tr(T::Locks, s.lang));
    for (const auto& [name, lk] : st.locks) {
      ImGui::TextColored(ImGui::ColorConvertU32ToFloat4(state_color(LaneState::Holding)), "■ %s",
                         name.c_str());
      ImGui::SameLine();
      if (lk.owner == 0) {
        ImGui::TextDisabled("%s", tr(T::Free, s.lang));
      } else {
        ImGui::TextUnformatted(tr(T::HeldBy, s.lang));
        ImGui::SameLine();
        proc_name(s, lk.owner);
        if (lk.owner_dead) {
          ImGui::TextColored(ImVec4(1.0f, 0.25f, 0.25f, 1), "  × %s", tr(T::HeldByDead, s.lang));
        }
      }
      waiters(s, lk.waiters);
    }
  }
  const TimelineModel& tm = s.analysis.timeline();
  const int64_t cursor = s.cursor_time();
  if (!st.values.empty()) draw_values(s, st, tm, cursor);
  if (!st.semaphores.empty()) {
    section(tr(T::Semaphores, s.lang));
    for (const auto& [name, sem] : st.semaphores) {
      auto it = tm.semaphores.find(name);
      const std::vector<CounterPoint>* pts = it == tm.semaphores.end() ? nullptr : &it->second;
      int64_t max_v = std::max<int64_t>(1, sem.value);
      if (pts) max_v = std::max(max_v, counter_max(*pts));
      ImGui::Text("%s = %lld", name.c_str(), static_cast<long long>(sem.value));
      ImGui::SameLine();
      // Gauge: one filled square per unit of the count, outlines up to the max seen.
      ImDrawList* dl = ImGui::GetWindowDrawList();
      const float h = ImGui::GetTextLineHeight();
      ImVec2 p = ImGui::GetCursorScreenPos();
      const int64_t shown = std::min<int64_t>(max_v, 24);
      for (int64_t i = 0; i < shown; ++i) {
        ImVec2 a(p.x + static_cast<float>(i) * (h + px(3)), p.y);
        if (i < sem.value) dl->AddRectFilled(a, ImVec2(a.x + h, a.y + h), IM_COL32(255, 143, 0, 255));
        else dl->AddRect(a, ImVec2(a.x + h, a.y + h), dim_text(), 0, 0, px(1));
      }
      ImGui::Dummy(ImVec2(static_cast<float>(shown) * (h + px(3)), h));
      waiters(s, sem.waiters);
      step_graph(pts, std::max<int64_t>(tm.t_end, s.run.now_ns()), cursor, max_v);
    }
  }
  if (!st.queues.empty()) {
    section(tr(T::Queues, s.lang));
    const ImU32 fill = IM_COL32(kQueueBoxRgb.r, kQueueBoxRgb.g, kQueueBoxRgb.b, 255);
    for (const auto& [name, q] : st.queues) {
      ImGui::Text("%s", name.c_str());
      ImGui::SameLine();
      ImGui::TextDisabled("%zu /", q.items.size());
      ImGui::SameLine();
      if (q.maxsize > 0) ImGui::TextDisabled(tr(T::Capacity, s.lang), static_cast<long long>(q.maxsize));
      else ImGui::TextDisabled("%s", tr(T::Unbounded, s.lang));
      if (q.items.empty()) {
        ImGui::SameLine();
        ImGui::TextDisabled("%s", tr(T::EmptyQueue, s.lang));
      }
      const int64_t empty = q.maxsize > 0 ? q.maxsize - static_cast<int64_t>(q.items.size()) : 0;
      if (!q.items.empty() || empty > 0) boxes(q.items, empty, fill);
    }
  }
  if (!st.pipes.empty()) {
    section(tr(T::Pipes, s.lang));
    const ImU32 fill = IM_COL32(0, 131, 143, 255);
    for (const auto& [key, msgs] : st.pipes) {
      ImGui::Text("%s", key.first.c_str());
      ImGui::SameLine();
      ImGui::TextDisabled(tr(T::InFlight, s.lang), key.second);
      ImGui::SameLine();
      ImGui::TextDisabled("(%zu)", msgs.size());
      if (!msgs.empty()) boxes(msgs, 0, fill);
    }
  }
  if (!pool.empty()) {
    section(tr(T::Pool, s.lang));
    draw_pool(s, pool);
  }
  ImGui::EndChild();
}

}  // namespace mpviz::gui
