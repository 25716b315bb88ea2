#include "app/gui/pool_view.hpp"

#include <algorithm>
#include <unordered_map>

namespace mpviz::gui {

size_t PoolView::count(PoolTaskInfo::Stage st) const {
  return static_cast<size_t>(
      std::count_if(tasks.begin(), tasks.end(), [st](const PoolTaskInfo& t) { return t.stage == st; }));
}

PoolView build_pool_view(const std::vector<Event>& events, size_t n) {
  PoolView v;
  std::unordered_map<int32_t, size_t> by_task;
  auto task_for = [&](const Event& e) -> PoolTaskInfo& {
    auto [it, fresh] = by_task.try_emplace(e.other, v.tasks.size());
    if (fresh) {
      PoolTaskInfo t;
      t.task = e.other;
      t.func = e.name;
      v.tasks.push_back(std::move(t));
    }
    PoolTaskInfo& t = v.tasks[it->second];
    if (t.func.empty()) t.func = e.name;
    return t;
  };
  n = std::min(n, events.size());
  for (size_t i = 0; i < n; ++i) {
    const Event& e = events[i];
    switch (e.kind) {
      case EventKind::pool_submit: {
        PoolTaskInfo& t = task_for(e);
        if (t.t_submit < 0) t.t_submit = e.t_ns;
        break;
      }
      case EventKind::pool_task_begin: {
        PoolTaskInfo& t = task_for(e);
        if (t.stage == PoolTaskInfo::Stage::Waiting) t.stage = PoolTaskInfo::Stage::Running;
        t.worker = e.pid;
        t.t_begin = e.t_ns;
        break;
      }
      case EventKind::pool_task_end: {
        PoolTaskInfo& t = task_for(e);
        t.stage = PoolTaskInfo::Stage::Done;
        if (t.worker == 0) t.worker = e.pid;
        t.t_end = e.t_ns;
        t.result = e.text;
        break;
      }
      default: break;
    }
  }
  return v;
}

}  // namespace mpviz::gui
