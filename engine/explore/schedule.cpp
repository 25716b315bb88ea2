#include "engine/explore/schedule.hpp"

#include <nlohmann/json.hpp>

namespace mpviz::explore {

std::string to_json(const Schedule& s) {
  nlohmann::json steps = nlohmann::json::array();
  for (const auto& st : s.steps) {
    nlohmann::json j = {{"proc", st.proc}, {"op", std::string(kind_name(st.kind))}};
    if (!st.obj.empty()) j["obj"] = st.obj;
    steps.push_back(std::move(j));
  }
  nlohmann::json params = nlohmann::json::object();
  for (const auto& [k, v] : s.params) params[k] = v;
  nlohmann::json j = {{"format", "mpviz-schedule"}, {"version", 1},       {"target", s.target},
                      {"method", s.method},         {"strategy", s.strategy}, {"seed", s.seed},
                      {"speed", s.speed},           {"params", params},           {"steps", steps}};
  // One step per line: a teacher can read (and diff) a schedule.
  std::string out = "{\n";
  bool first = true;
  for (const auto& [k, v] : j.items()) {
    if (k == "steps") continue;
    out += std::string(first ? "" : ",\n") + "  \"" + k + "\": " + v.dump();
    first = false;
  }
  out += ",\n  \"steps\": [";
  for (size_t i = 0; i < steps.size(); ++i) out += std::string(i ? ",\n    " : "\n    ") + steps[i].dump();
  out += steps.empty() ? "]\n}\n" : "\n  ]\n}\n";
  return out;
}

std::optional<Schedule> schedule_from_json(const std::string& text, std::string& err) {
  auto j = nlohmann::json::parse(text, nullptr, false);
  if (j.is_discarded() || !j.is_object()) {
    err = "not a JSON object (a schedule is what `mpviz explore --save DIR` writes)";
    return std::nullopt;
  }
  if (j.value("format", "") != "mpviz-schedule") {
    err = "\"format\" is not \"mpviz-schedule\"";
    return std::nullopt;
  }
  Schedule s;
  try {
    s.target = j.value("target", "");
    s.method = j.value("method", "");
    s.strategy = j.value("strategy", "");
    s.seed = j.value("seed", uint64_t{0});
    s.speed = j.value("speed", 0.0);
    if (j.contains("params") && j["params"].is_object())
      for (const auto& [k, v] : j["params"].items())
        s.params.emplace_back(k, v.is_string() ? v.get<std::string>() : v.dump());
    if (!j.contains("steps") || !j["steps"].is_array()) {
      err = "\"steps\" is missing or not a list";
      return std::nullopt;
    }
    size_t i = 0;
    for (const auto& st : j["steps"]) {
      ++i;
      if (!st.is_object() || !st.contains("proc") || !st["proc"].is_string()) {
        err = "step " + std::to_string(i) + ": needs \"proc\" (a process name)";
        return std::nullopt;
      }
      ScheduleStep step;
      step.proc = st["proc"].get<std::string>();
      auto k = kind_from_name(st.value("op", ""));
      if (!k) {
        err = "step " + std::to_string(i) + ": unknown \"op\" '" + st.value("op", "") + "'";
        return std::nullopt;
      }
      step.kind = *k;
      step.obj = st.value("obj", "");
      s.steps.push_back(std::move(step));
    }
  } catch (const nlohmann::json::exception& e) {
    err = std::string("bad field: ") + e.what();
    return std::nullopt;
  }
  return s;
}

}  // namespace mpviz::explore
