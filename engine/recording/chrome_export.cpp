#include "engine/recording/chrome_export.hpp"

#include <nlohmann/json.hpp>

#include "engine/recording/json_write.hpp"
#include "engine/model/timeline_model.hpp"

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

std::string detail::to_chrome_json_reference(const Recording& rec) {
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
  for (const auto& [name, points] : m.values)
    for (const auto& c : points)
      evs.push_back({{"name", "value " + name}, {"ph", "C"}, {"pid", main_pid},
                     {"ts", us(c.t)}, {"args", {{"value", c.value}}}});
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

// The same bytes as the reference above, written straight into one string
// (no JSON tree: 1M events took ~27 s and 2.4 GB that way).
std::string to_chrome_json(const Recording& rec) {
  namespace w = jsonw;
  TimelineModel m = build_timeline(rec.events);
  std::string o;
  o.reserve(m.spans.size() * 150 + m.flows.size() * 500 + rec.events.size() * 40 + 4096);
  bool first = true;
  // Each trace event: {"k":v,...}, keys in the reference's order.
  auto open = [&] {
    o += first ? "{" : ",{";
    first = false;
  };
  auto ks = [&](std::string_view k, std::string_view v, bool lead = true) {
    if (lead) o += ',';
    w::key(o, k);
    w::str(o, v);
  };
  auto ki = [&](std::string_view k, int64_t v) {
    o += ',';
    w::key(o, k);
    w::integer(o, v);
  };
  auto kd = [&](std::string_view k, double v) {
    o += ',';
    w::key(o, k);
    w::number(o, v);
  };
  auto args_obj = [&](std::string_view obj, std::string_view k2, std::string_view v2, bool with2) {
    o += ",\"args\":{";
    ks("obj", obj, false);
    if (with2) ks(k2, v2);
    o += '}';
  };
  o += "{\"traceEvents\":[";
  int32_t main_pid = 0;
  for (const auto& p : m.processes) {
    if (p.name == "MainProcess") main_pid = p.pid;
    std::string label = p.name + " (pid " + std::to_string(p.pid) + ")";
    open();
    ks("name", "process_name", false), ks("ph", "M"), ki("pid", p.pid), ki("tid", p.pid);
    o += ",\"args\":{", ks("name", label, false), o += "}}";
    open();
    ks("name", "thread_name", false), ks("ph", "M"), ki("pid", p.pid), ki("tid", p.pid);
    o += ",\"args\":{", ks("name", p.name, false), o += "}}";
    int64_t end = p.t_end >= 0 ? p.t_end : m.t_end;
    std::string life = p.t_end < 0 ? "alive" : p.killed ? "killed by signal " + std::to_string(p.code_or_signal) + " (" + p.killed_by + ")"
                                                        : "exit code " + std::to_string(p.code_or_signal);
    open();
    ks("name", "process " + p.name, false), ks("cat", "process"), ks("ph", "X"), ki("pid", p.pid);
    ki("tid", p.pid), kd("ts", us(p.t_start)), kd("dur", us(end - p.t_start));
    o += ",\"args\":{", w::key(o, "ppid"), w::integer(o, p.ppid);
    o += ',', w::key(o, "daemon"), w::boolean(o, p.daemon);
    ks("method", p.spawn ? "spawn" : "fork"), ks("end", life), o += "}}";
  }
  std::string name;
  for (const auto& s : m.spans) {
    name = span_name(s.kind);
    if (!s.obj.empty() && s.kind != SpanKind::Sleep) name += " " + s.obj;
    open();
    ks("name", name, false), ks("cat", "state"), ks("ph", "X"), ki("pid", s.pid), ki("tid", s.pid);
    kd("ts", us(s.begin)), kd("dur", us(s.end - s.begin));
    o += ",\"args\":{", ks("obj", s.obj, false);
    if (!s.detail.empty()) ks("detail", s.detail);
    if (s.open) o += ",\"open\":true";
    o += "}}";
  }
  for (const auto& [cname, points] : m.semaphores) {
    name = "semaphore " + cname;
    for (const auto& c : points) {
      open();
      ks("name", name, false), ks("ph", "C"), ki("pid", main_pid), kd("ts", us(c.t));
      o += ",\"args\":{\"value\":", w::integer(o, c.value), o += "}}";
    }
  }
  for (const auto& [qname, points] : m.queues) {
    name = "queue " + qname + " size";
    for (const auto& c : points) {
      open();
      ks("name", name, false), ks("ph", "C"), ki("pid", main_pid), kd("ts", us(c.t));
      o += ",\"args\":{\"size\":", w::integer(o, c.value), o += "}}";
    }
  }
  for (const auto& [vname, points] : m.values) {
    name = "value " + vname;
    for (const auto& c : points) {
      open();
      ks("name", name, false), ks("ph", "C"), ki("pid", main_pid), kd("ts", us(c.t));
      o += ",\"args\":{\"value\":", w::integer(o, c.value), o += "}}";
    }
  }
  int id = 1;
  for (const auto& f : m.flows) {
    std::string_view fname = flow_name(f.kind);
    const bool item = !f.item.empty();
    open();
    ks("name", std::string(fname) + " out", false), ks("cat", "handoff"), ks("ph", "X");
    ki("pid", f.from_pid), ki("tid", f.from_pid), kd("ts", us(f.t_from)), ki("dur", 1);
    args_obj(f.obj, "item", f.item, item), o += '}';
    open();
    ks("name", std::string(fname) + " in", false), ks("cat", "handoff"), ks("ph", "X");
    ki("pid", f.to_pid), ki("tid", f.to_pid), kd("ts", us(f.t_to)), ki("dur", 1);
    args_obj(f.obj, "item", f.item, item), o += '}';
    open();
    ks("name", fname, false), ks("cat", "handoff"), ks("ph", "s"), ki("id", id);
    ki("pid", f.from_pid), ki("tid", f.from_pid), kd("ts", us(f.t_from)), o += '}';
    open();
    ks("name", fname, false), ks("cat", "handoff"), ks("ph", "f"), ks("bp", "e"), ki("id", id);
    ki("pid", f.to_pid), ki("tid", f.to_pid), kd("ts", us(f.t_to)), o += '}';
    ++id;
  }
  for (const auto& e : rec.events)
    if (e.kind == EventKind::print) {
      open();
      ks("name", "print", false), ks("cat", "print"), ks("ph", "i"), ks("s", "t");
      ki("pid", e.pid), ki("tid", e.pid), kd("ts", us(e.t_ns));
      o += ",\"args\":{", ks("text", e.text, false), o += "}}";
    }
  o += "],\"displayTimeUnit\":\"ms\",\"metadata\":{";
  ks("scenario", rec.header.scenario, false), ks("method", rec.header.method);
  ki("started_unix_ms", rec.header.started_unix_ms), ks("tool", "mpviz");
  o += "}}";
  return o;
}

}  // namespace mpviz
