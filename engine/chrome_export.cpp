#include "engine/chrome_export.hpp"

#include <nlohmann/json.hpp>

#include "engine/timeline_model.hpp"

namespace mpviz {
namespace {

using ojson = nlohmann::ordered_json;

double us(int64_t ns) { return static_cast<double>(ns) / 1000.0; }

const char* flow_name(FlowKind k) {
  switch (k) {
    case FlowKind::Pipe: return "pipe message";
    case FlowKind::Queue: return "queue item";
    case FlowKind::Semaphore: return "semaphore release";
  }
  return "flow";
}

}  // namespace

std::string to_chrome_json(const Recording& rec) {
  TimelineModel m = build_timeline(rec.events);
  ojson evs = ojson::array();
  int32_t main_pid = 0;
  for (const auto& p : m.processes) {
    if (p.name == "MainProcess") main_pid = p.pid;
    std::string label = p.name + " (pid " + std::to_string(p.pid) + ")";
    evs.push_back({{"name", "process_name"}, {"ph", "M"}, {"pid", p.pid}, {"tid", p.pid},
                   {"args", {{"name", label}}}});
    evs.push_back({{"name", "thread_name"}, {"ph", "M"}, {"pid", p.pid}, {"tid", p.pid},
                   {"args", {{"name", p.name}}}});
    int64_t end = p.t_end >= 0 ? p.t_end : m.t_end;
    std::string life = p.t_end < 0 ? "alive" : p.killed ? "killed by signal " + std::to_string(p.code_or_signal) + " (" + p.killed_by + ")"
                                                        : "exit code " + std::to_string(p.code_or_signal);
    evs.push_back({{"name", "process " + p.name}, {"cat", "process"}, {"ph", "X"}, {"pid", p.pid},
                   {"tid", p.pid}, {"ts", us(p.t_start)}, {"dur", us(end - p.t_start)},
                   {"args", {{"ppid", p.ppid}, {"daemon", p.daemon},
                             {"method", p.spawn ? "spawn" : "fork"}, {"end", life}}}});
  }
  for (const auto& s : m.spans) {
    std::string name = span_name(s.kind);
    if (!s.obj.empty() && s.kind != SpanKind::Sleep) name += " " + s.obj;
    ojson args = {{"obj", s.obj}};
    if (!s.detail.empty()) args["detail"] = s.detail;
    if (s.open) args["open"] = true;
    evs.push_back({{"name", name}, {"cat", "state"}, {"ph", "X"}, {"pid", s.pid}, {"tid", s.pid},
                   {"ts", us(s.begin)}, {"dur", us(s.end - s.begin)}, {"args", args}});
  }
  // Counters belong to the process that created the objects: main.
  for (const auto& [name, points] : m.semaphores)
    for (const auto& c : points)
      evs.push_back({{"name", "semaphore " + name}, {"ph", "C"}, {"pid", main_pid},
                     {"ts", us(c.t)}, {"args", {{"value", c.value}}}});
  for (const auto& [name, points] : m.queues)
    for (const auto& c : points)
      evs.push_back({{"name", "queue " + name + " size"}, {"ph", "C"}, {"pid", main_pid},
                     {"ts", us(c.t)}, {"args", {{"size", c.value}}}});
  // Flows bind to slices: give each end a 1 us slice to bind to.
  int id = 1;
  for (const auto& f : m.flows) {
    std::string name = flow_name(f.kind);
    ojson args = {{"obj", f.obj}};
    if (!f.item.empty()) args["item"] = f.item;
    evs.push_back({{"name", name + " out"}, {"cat", "handoff"}, {"ph", "X"}, {"pid", f.from_pid},
                   {"tid", f.from_pid}, {"ts", us(f.t_from)}, {"dur", 1}, {"args", args}});
    evs.push_back({{"name", name + " in"}, {"cat", "handoff"}, {"ph", "X"}, {"pid", f.to_pid},
                   {"tid", f.to_pid}, {"ts", us(f.t_to)}, {"dur", 1}, {"args", args}});
    evs.push_back({{"name", name}, {"cat", "handoff"}, {"ph", "s"}, {"id", id}, {"pid", f.from_pid},
                   {"tid", f.from_pid}, {"ts", us(f.t_from)}});
    evs.push_back({{"name", name}, {"cat", "handoff"}, {"ph", "f"}, {"bp", "e"}, {"id", id},
                   {"pid", f.to_pid}, {"tid", f.to_pid}, {"ts", us(f.t_to)}});
    ++id;
  }
  for (const auto& e : rec.events)
    if (e.kind == EventKind::print)
      evs.push_back({{"name", "print"}, {"cat", "print"}, {"ph", "i"}, {"s", "t"}, {"pid", e.pid},
                     {"tid", e.pid}, {"ts", us(e.t_ns)}, {"args", {{"text", e.text}}}});
  ojson meta = {{"scenario", rec.header.scenario}, {"method", rec.header.method},
                {"started_unix_ms", rec.header.started_unix_ms}, {"tool", "mpviz"}};
  ojson out = {{"traceEvents", evs}, {"displayTimeUnit", "ms"}, {"metadata", meta}};
  return out.dump();
}

}  // namespace mpviz
