#include "engine/recording/recording.hpp"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>

#include "engine/model/event_log.hpp"
#include "engine/recording/json_write.hpp"
#include "engine/recording/recording_fast_parse.hpp"
#include "engine/recording/recording_shape.hpp"

namespace mpviz {

using ojson = nlohmann::ordered_json;
using recording_detail::Shape;
using recording_detail::shape_of;

namespace {

bool is_end(EventKind k) {
  return k == EventKind::process_exit || k == EventKind::process_killed;
}

ojson param_json(const ParamValue& v) {
  if (auto* i = std::get_if<int64_t>(&v)) return *i;
  if (auto* d = std::get_if<double>(&v)) return *d;
  return std::get<bool>(v);
}

}  // namespace

void normalize_recording(std::vector<Event>& evs, std::optional<int64_t> stop_t) {
  sort_by_time(evs);
  // One end per pid: prefer the process's own word, else the first observation.
  std::map<int32_t, size_t> chosen;
  for (size_t i = 0; i < evs.size(); ++i) {
    if (!is_end(evs[i].kind)) continue;
    auto it = chosen.find(evs[i].pid);
    if (it == chosen.end()) {
      chosen[evs[i].pid] = i;
      continue;
    }
    const Event& cur = evs[it->second];
    bool cur_own = !(cur.flags & kFlagReaped);
    bool new_own = !(evs[i].flags & kFlagReaped);
    // The process's own word (exact time and code) wins over a reaper's.
    if (!cur_own && new_own) it->second = i;
    // Prefer a more specific reason for a kill ("parent_exit" over "signal").
    if (cur.kind == EventKind::process_killed && evs[i].kind == EventKind::process_killed &&
        cur.text == "signal" && evs[i].text != "signal")
      it->second = i;
  }
  std::vector<Event> out;
  out.reserve(evs.size());
  std::optional<Event> run_end;
  for (size_t i = 0; i < evs.size(); ++i) {
    Event& e = evs[i];
    if (e.kind == EventKind::run_end) {
      run_end = std::move(e);
      continue;
    }
    if (is_end(e.kind)) {
      if (chosen[e.pid] != i) continue;
      if (e.kind == EventKind::process_killed && e.text == "signal" && stop_t &&
          e.t_ns >= *stop_t)
        e.text = "stop";
    }
    e.flags &= static_cast<uint8_t>(~kFlagReaped);
    out.push_back(std::move(e));
  }
  if (run_end) {
    if (!out.empty() && run_end->t_ns < out.back().t_ns) run_end->t_ns = out.back().t_ns;
    out.push_back(std::move(*run_end));
  }
  evs = std::move(out);
}

std::string header_to_json_line(const RecordingHeader& h) {
  ojson p = ojson::object();
  for (const auto& [k, v] : h.params) p[k] = param_json(v);
  ojson j;
  j["format"] = "mpviz-trace";
  j["version"] = kRecordingVersion;
  j["scenario"] = h.scenario;
  j["method"] = h.method;
  j["params"] = p;
  j["started_unix_ms"] = h.started_unix_ms;
  return j.dump();
}

std::string method_used(const std::vector<Event>& evs, const std::string& fallback) {
  for (const auto& e : evs) {
    if (e.kind != EventKind::process_start) continue;
    if (e.name == "MainProcess" || e.name == "ResourceTracker" || e.name == "ForkServer") continue;
    return (e.flags & kFlagForkserver) ? "forkserver" : (e.flags & kFlagSpawn) ? "spawn" : "fork";
  }
  return fallback;
}

std::string detail::event_to_json_line_reference(const Event& e) {
  ojson j;
  j["t_ns"] = e.t_ns;
  j["pid"] = e.pid;
  j["kind"] = kind_name(e.kind);
  switch (shape_of(e.kind)) {
    case Shape::Start:
      j["ppid"] = e.other;
      j["name"] = e.name;
      j["daemon"] = (e.flags & kFlagDaemon) != 0;
      j["method"] = (e.flags & kFlagForkserver) ? "forkserver" : (e.flags & kFlagSpawn) ? "spawn" : "fork";
      break;
    case Shape::Exit: j["code"] = e.value; break;
    case Shape::Killed:
      j["signal"] = e.value;
      j["by"] = e.text;
      break;
    case Shape::Join:
    case Shape::JoinEnd:
      j["target"] = e.other;
      if (e.flags & kFlagHasTimeout) j["timeout_s"] = e.seconds;
      else j["timeout_s"] = nullptr;
      if (e.kind == EventKind::join_end) j["timed_out"] = (e.flags & kFlagTimedOut) != 0;
      break;
    case Shape::Sleep: j["seconds"] = e.seconds; break;
    case Shape::Print:
      j["text"] = e.text;
      if (e.flags & kFlagStderr) j["stream"] = "stderr";  // added field
      break;
    case Shape::Lock: j["obj"] = e.name; break;
    case Shape::Obj:
      j["obj"] = e.name;
      if (!e.text.empty()) j["op"] = e.text;  // added field: which operation
      break;
    case Shape::Terminate:
      j["target"] = e.other;
      j["signal"] = e.value;
      break;
    case Shape::Sem:
      j["obj"] = e.name;
      j["value"] = e.value;
      break;
    case Shape::Queue:
      j["obj"] = e.name;
      j["item"] = e.text;
      j["size"] = e.value;
      if (e.limit > 0) j["maxsize"] = e.limit;
      else j["maxsize"] = nullptr;  // unbounded
      break;
    case Shape::Pipe:
      j["obj"] = e.name;
      j["end"] = e.other;
      j["item"] = e.text;
      break;
    case Shape::Pool:
      j["task"] = e.other;
      j["func"] = e.name;
      if (e.kind == EventKind::pool_task_end) j["result"] = e.text;  // added field
      break;
    case Shape::RunEnd:
      j["status"] = e.text;
      j["dropped_frames"] = e.value;
      if (!e.name.empty()) j["limit"] = e.name;  // added field: the limit that stopped the run
      break;
    case Shape::Value:
      j["obj"] = e.name;
      if (e.flags & kFlagValueText) j["value"] = e.text;
      else if (e.flags & kFlagValueReal) j["value"] = e.seconds;
      else j["value"] = e.value;
      if (e.flags & kFlagIndexed) j["index"] = e.other;
      if (e.kind == EventKind::value_write) j["lost"] = (e.flags & kFlagLost) != 0;
      break;
  }
  if (e.line > 0) j["line"] = e.line;  // added field (Python mode)
  return j.dump();
}

// The same bytes as event_to_json_line_reference (same keys, same order, same
// number and string formatting), appended without building a JSON tree.
void append_event_json(std::string& out, const Event& e) {
  namespace w = jsonw;
  out += "{\"t_ns\":";
  w::integer(out, e.t_ns);
  out += ",\"pid\":";
  w::integer(out, e.pid);
  out += ",\"kind\":";
  w::str(out, kind_name(e.kind));
  auto key = [&](std::string_view k) {
    out += ',';
    w::key(out, k);
  };
  switch (shape_of(e.kind)) {
    case Shape::Start:
      key("ppid"), w::integer(out, e.other);
      key("name"), w::str(out, e.name);
      key("daemon"), w::boolean(out, (e.flags & kFlagDaemon) != 0);
      key("method");
      w::str(out, (e.flags & kFlagForkserver) ? "forkserver" : (e.flags & kFlagSpawn) ? "spawn" : "fork");
      break;
    case Shape::Exit: key("code"), w::integer(out, e.value); break;
    case Shape::Killed:
      key("signal"), w::integer(out, e.value);
      key("by"), w::str(out, e.text);
      break;
    case Shape::Join:
    case Shape::JoinEnd:
      key("target"), w::integer(out, e.other);
      key("timeout_s");
      if (e.flags & kFlagHasTimeout) w::number(out, e.seconds);
      else out += "null";
      if (e.kind == EventKind::join_end) key("timed_out"), w::boolean(out, (e.flags & kFlagTimedOut) != 0);
      break;
    case Shape::Sleep: key("seconds"), w::number(out, e.seconds); break;
    case Shape::Print:
      key("text"), w::str(out, e.text);
      if (e.flags & kFlagStderr) key("stream"), w::str(out, "stderr");
      break;
    case Shape::Lock: key("obj"), w::str(out, e.name); break;
    case Shape::Obj:
      key("obj"), w::str(out, e.name);
      if (!e.text.empty()) key("op"), w::str(out, e.text);
      break;
    case Shape::Terminate:
      key("target"), w::integer(out, e.other);
      key("signal"), w::integer(out, e.value);
      break;
    case Shape::Sem:
      key("obj"), w::str(out, e.name);
      key("value"), w::integer(out, e.value);
      break;
    case Shape::Queue:
      key("obj"), w::str(out, e.name);
      key("item"), w::str(out, e.text);
      key("size"), w::integer(out, e.value);
      key("maxsize");
      if (e.limit > 0) w::integer(out, e.limit);
      else out += "null";
      break;
    case Shape::Pipe:
      key("obj"), w::str(out, e.name);
      key("end"), w::integer(out, e.other);
      key("item"), w::str(out, e.text);
      break;
    case Shape::Pool:
      key("task"), w::integer(out, e.other);
      key("func"), w::str(out, e.name);
      if (e.kind == EventKind::pool_task_end) key("result"), w::str(out, e.text);
      break;
    case Shape::RunEnd:
      key("status"), w::str(out, e.text);
      key("dropped_frames"), w::integer(out, e.value);
      if (!e.name.empty()) key("limit"), w::str(out, e.name);
      break;
    case Shape::Value:
      key("obj"), w::str(out, e.name);
      key("value");
      if (e.flags & kFlagValueText) w::str(out, e.text);
      else if (e.flags & kFlagValueReal) w::number(out, e.seconds);
      else w::integer(out, e.value);
      if (e.flags & kFlagIndexed) key("index"), w::integer(out, e.other);
      if (e.kind == EventKind::value_write) key("lost"), w::boolean(out, (e.flags & kFlagLost) != 0);
      break;
  }
  if (e.line > 0) key("line"), w::integer(out, e.line);
  out += '}';
}

std::string event_to_json_line(const Event& e) {
  std::string out;
  out.reserve(128);
  append_event_json(out, e);
  return out;
}

std::string to_jsonl(const Recording& r) {
  std::string out = header_to_json_line(r.header);
  out += '\n';
  out.reserve(out.size() + r.events.size() * 96);
  for (const auto& e : r.events) {
    append_event_json(out, e);
    out += '\n';
  }
  return out;
}

namespace {

// Reads a field, with a precise complaint when it is missing or mistyped.
struct FieldReader {
  const nlohmann::json& j;
  std::string& err;
  bool ok = true;

  int64_t integer(const char* k) {
    if (!ok) return 0;
    auto it = j.find(k);
    if (it == j.end() || !it->is_number_integer()) {
      fail(k, "an integer");
      return 0;
    }
    return it->get<int64_t>();
  }
  double number(const char* k) {
    if (!ok) return 0;
    auto it = j.find(k);
    if (it == j.end() || !it->is_number()) {
      fail(k, "a number");
      return 0;
    }
    return it->get<double>();
  }
  std::string string(const char* k) {
    if (!ok) return {};
    auto it = j.find(k);
    if (it == j.end() || !it->is_string()) {
      fail(k, "a string");
      return {};
    }
    return it->get<std::string>();
  }
  bool boolean(const char* k) {
    if (!ok) return false;
    auto it = j.find(k);
    if (it == j.end() || !it->is_boolean()) {
      fail(k, "true or false");
      return false;
    }
    return it->get<bool>();
  }
  void fail(const char* k, const char* what) {
    ok = false;
    err = std::string("field '") + k + "' must be " + what;
  }
};

std::optional<Event> event_from_json(const nlohmann::json& j, std::string& err) {
  if (!j.is_object()) {
    err = "an event must be a JSON object";
    return std::nullopt;
  }
  FieldReader r{j, err};
  Event e;
  e.t_ns = r.integer("t_ns");
  e.pid = static_cast<int32_t>(r.integer("pid"));
  std::string kind = r.string("kind");
  if (!r.ok) return std::nullopt;
  auto k = kind_from_name(kind);
  if (!k) {
    err = "unknown event kind '" + kind + "'";
    return std::nullopt;
  }
  e.kind = *k;
  switch (shape_of(e.kind)) {
    case Shape::Start: {
      e.other = static_cast<int32_t>(r.integer("ppid"));
      e.name = r.string("name");
      if (r.boolean("daemon")) e.flags |= kFlagDaemon;
      std::string m = r.string("method");
      if (r.ok && m != "fork" && m != "spawn" && m != "forkserver") {
        err = "field 'method' must be \"fork\", \"spawn\" or \"forkserver\"";
        return std::nullopt;
      }
      if (m == "spawn") e.flags |= kFlagSpawn;
      if (m == "forkserver") e.flags |= kFlagForkserver;
      break;
    }
    case Shape::Exit: e.value = r.integer("code"); break;
    case Shape::Killed:
      e.value = r.integer("signal");
      e.text = r.string("by");
      break;
    case Shape::Join:
    case Shape::JoinEnd: {
      e.other = static_cast<int32_t>(r.integer("target"));
      auto it = j.find("timeout_s");
      if (it == j.end() || !(it->is_null() || it->is_number())) {
        err = "field 'timeout_s' must be a number or null";
        return std::nullopt;
      }
      if (it->is_number()) {
        e.flags |= kFlagHasTimeout;
        e.seconds = it->get<double>();
      }
      if (e.kind == EventKind::join_end && r.boolean("timed_out")) e.flags |= kFlagTimedOut;
      break;
    }
    case Shape::Sleep: e.seconds = r.number("seconds"); break;
    case Shape::Print:
      e.text = r.string("text");
      if (j.contains("stream")) {
        std::string s = r.string("stream");
        if (r.ok && s != "stdout" && s != "stderr") {
          err = "field 'stream' must be \"stdout\" or \"stderr\"";
          return std::nullopt;
        }
        if (s == "stderr") e.flags |= kFlagStderr;
      }
      break;
    case Shape::Lock: e.name = r.string("obj"); break;
    case Shape::Obj:
      e.name = r.string("obj");
      if (j.contains("op")) e.text = r.string("op");
      break;
    case Shape::Terminate:
      e.other = static_cast<int32_t>(r.integer("target"));
      e.value = r.integer("signal");
      break;
    case Shape::Sem:
      e.name = r.string("obj");
      e.value = r.integer("value");
      break;
    case Shape::Queue:
      e.name = r.string("obj");
      e.text = r.string("item");
      e.value = r.integer("size");
      if (auto m = j.find("maxsize"); m != j.end() && !m->is_null()) e.limit = r.integer("maxsize");
      break;
    case Shape::Pipe:
      e.name = r.string("obj");
      e.other = static_cast<int32_t>(r.integer("end"));
      e.text = r.string("item");
      break;
    case Shape::Pool:
      e.other = static_cast<int32_t>(r.integer("task"));
      e.name = r.string("func");
      if (e.kind == EventKind::pool_task_end && j.contains("result")) e.text = r.string("result");
      break;
    case Shape::RunEnd:
      e.text = r.string("status");
      e.value = r.integer("dropped_frames");
      if (j.contains("limit")) e.name = r.string("limit");
      break;
    case Shape::Value: {
      e.name = r.string("obj");
      auto it = j.find("value");
      if (it == j.end() || !(it->is_number() || it->is_string())) {
        err = "field 'value' must be a number or a string";
        return std::nullopt;
      }
      if (it->is_number_integer()) e.value = it->get<int64_t>();
      else if (it->is_number()) e.flags |= kFlagValueReal, e.seconds = it->get<double>();
      else e.flags |= kFlagValueText, e.text = it->get<std::string>();
      if (j.contains("index")) e.flags |= kFlagIndexed, e.other = static_cast<int32_t>(r.integer("index"));
      if (e.kind == EventKind::value_write && r.boolean("lost")) e.flags |= kFlagLost;
      break;
    }
  }
  if (auto ln = j.find("line"); ln != j.end()) {
    if (!ln->is_number_integer()) {
      err = "field 'line' must be an integer";
      return std::nullopt;
    }
    e.line = ln->get<int32_t>();
  }
  if (!r.ok) return std::nullopt;
  return e;
}


}  // namespace

namespace {

LoadResult parse_jsonl_impl(const std::string& text, bool use_fast_path) {
  LoadResult res;
  if (text.empty()) {
    res.error = "line 1: the file is empty (expected an mpviz-trace header)";
    return res;
  }
  Recording rec;
  if (use_fast_path) {  // one event per line: no reallocation copies
    size_t lines = static_cast<size_t>(std::count(text.begin(), text.end(), '\n'));
    rec.events.reserve(lines);
  }
  FastEventLineParser fast_parser;
  size_t pos = 0;
  int line_no = 0;
  int64_t last_t = INT64_MIN;
  while (pos < text.size()) {
    size_t nl = text.find('\n', pos);
    bool torn = nl == std::string::npos;  // last line without its newline
    const size_t line_len = torn ? text.size() - pos : nl - pos;
    const size_t line_pos = pos;
    pos = torn ? text.size() : nl + 1;
    ++line_no;
    if (use_fast_path && line_no > 1 && line_len > 0) {
      Event ev;
      if (fast_parser.parse(std::string_view(text).substr(line_pos, line_len), ev) &&
          ev.t_ns >= last_t) {
        last_t = ev.t_ns;
        rec.events.push_back(std::move(ev));
        continue;
      }
    }
    std::string line = text.substr(line_pos, line_len);
    auto where = "line " + std::to_string(line_no) + ": ";
    if (line.empty() && !torn) {
      res.error = where + "empty line";
      return res;
    }
    if (line.empty()) break;
    auto j = nlohmann::json::parse(line, nullptr, false);
    if (j.is_discarded()) {
      if (torn && line_no > 1) {
        res.warning = where + "cut off mid-line (the run was interrupted); loaded the " +
                      std::to_string(rec.events.size()) + " events before it";
        break;
      }
      res.error = where + "not valid JSON";
      return res;
    }
    if (line_no == 1) {
      auto fmt = j.is_object() ? j.find("format") : j.end();
      if (!j.is_object() || fmt == j.end() || !fmt->is_string() || *fmt != "mpviz-trace") {
        res.error = where + "not an mpviz recording (the header needs \"format\":\"mpviz-trace\")";
        return res;
      }
      auto v = j.find("version");
      if (v == j.end() || !v->is_number_integer()) {
        res.error = where + "the header has no integer 'version'";
        return res;
      }
      if (v->get<int64_t>() != kRecordingVersion) {
        res.error = where + "recording version " + std::to_string(v->get<int64_t>()) +
                    " is not supported (this mpviz reads version " +
                    std::to_string(kRecordingVersion) + ")";
        return res;
      }
      std::string err;
      FieldReader r{j, err};
      rec.header.scenario = r.string("scenario");
      rec.header.method = r.string("method");
      rec.header.started_unix_ms = r.integer("started_unix_ms");
      auto p = j.find("params");
      if (r.ok && (p == j.end() || !p->is_object())) r.fail("params", "an object");
      if (!r.ok) {
        res.error = where + err;
        return res;
      }
      for (const auto& [k, v2] : p->items()) {
        if (v2.is_boolean()) rec.header.params.emplace_back(k, v2.get<bool>());
        else if (v2.is_number_integer()) rec.header.params.emplace_back(k, v2.get<int64_t>());
        else if (v2.is_number()) rec.header.params.emplace_back(k, v2.get<double>());
        else {
          res.error = where + "parameter '" + k + "' must be a number or a boolean";
          return res;
        }
      }
      continue;
    }
    std::string err;
    auto e = event_from_json(j, err);
    if (!e) {
      res.error = where + err;
      return res;
    }
    if (e->t_ns < last_t) {
      res.error = where + "events are not ordered by t_ns";
      return res;
    }
    last_t = e->t_ns;
    rec.events.push_back(std::move(*e));
  }
  res.recording = std::move(rec);
  return res;
}

}  // namespace

LoadResult parse_jsonl(const std::string& text) { return parse_jsonl_impl(text, true); }

LoadResult detail::parse_jsonl_reference(const std::string& text) {
  return parse_jsonl_impl(text, false);
}

LoadResult load_jsonl_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    LoadResult r;
    r.error = "cannot open '" + path + "'";
    return r;
  }
  std::string text;
  // A regular file: one read of its size; anything else (a pipe): stream it.
  in.seekg(0, std::ios::end);
  const std::streamoff size = in.tellg();
  if (size > 0) {
    in.seekg(0, std::ios::beg);
    text.resize(static_cast<size_t>(size));
    in.read(text.data(), size);
    text.resize(static_cast<size_t>(in.gcount()));
    if (in.gcount() == size && in.peek() != std::char_traits<char>::eof()) {
      std::stringstream rest;  // the file grew while we read it
      rest << in.rdbuf();
      text += rest.str();
    }
  } else {
    in.clear();
    in.seekg(0, std::ios::beg);
    std::stringstream ss;
    ss << in.rdbuf();
    text = ss.str();
  }
  return parse_jsonl(text);
}

}  // namespace mpviz
