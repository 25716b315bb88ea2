#include "app/cli_list.hpp"

#include <cstdio>
#include <nlohmann/json.hpp>

#include "scenarios/registry.hpp"

namespace mpviz::cli {

namespace {
nlohmann::ordered_json value_json(const ParamValue& v) {
  if (auto* i = std::get_if<int64_t>(&v)) return *i;
  if (auto* d = std::get_if<double>(&v)) return *d;
  return std::get<bool>(v);
}
}  // namespace

int list_scenarios(bool json) {
  const auto& list = scenarios::all();
  if (json) {
    nlohmann::ordered_json arr = nlohmann::ordered_json::array();
    for (const auto& s : list) {
      nlohmann::ordered_json params = nlohmann::ordered_json::array();
      for (const auto& p : s.info.params) {
        nlohmann::ordered_json pj;
        pj["key"] = p.key;
        pj["type"] = param_type_name(p.type);
        pj["default"] = value_json(p.def);
        if (p.type != ParamType::Bool) {
          pj["min"] = p.min;
          pj["max"] = p.max;
        }
        pj["help_en"] = p.help_en;
        pj["help_zh"] = p.help_zh;
        params.push_back(pj);
      }
      nlohmann::ordered_json sj;
      sj["name"] = s.info.name;
      sj["section"] = s.info.section;
      sj["title_zh"] = s.info.title_zh;
      sj["title_en"] = s.info.title_en;
      sj["explain_zh"] = s.info.explain_zh;
      sj["explain_en"] = s.info.explain_en;
      sj["runs_forever"] = s.info.runs_forever;
      sj["methods"] = {"fork", "spawn"};
      sj["params"] = params;
      arr.push_back(sj);
    }
    std::printf("%s\n", arr.dump(2).c_str());
    return 0;
  }
  for (const auto& s : list) {
    std::printf("%-22s %s / %s\n", s.info.name.c_str(), s.info.title_zh.c_str(),
                s.info.title_en.c_str());
    for (const auto& p : s.info.params) {
      std::string range = p.type == ParamType::Bool
                              ? "true|false"
                              : format_param(p.type == ParamType::Int
                                                 ? ParamValue(static_cast<int64_t>(p.min))
                                                 : ParamValue(p.min)) +
                                    ".." +
                                    format_param(p.type == ParamType::Int
                                                     ? ParamValue(static_cast<int64_t>(p.max))
                                                     : ParamValue(p.max));
      std::printf("    --set %s=%s  (%s, %s) %s\n", p.key.c_str(), format_param(p.def).c_str(),
                  param_type_name(p.type).c_str(), range.c_str(), p.help_en.c_str());
    }
  }
  return 0;
}

}  // namespace mpviz::cli
