// Parameter specs for the fuzzers: one of each type and range shape the
// scenarios use (scenarios/*.cpp), so `--set` parsing is exercised on all of
// them without linking the scenarios (and with them the whole runtime).
#pragma once
#include <cstdlib>
#include <vector>

#include "engine/scenario/params.hpp"

namespace mpviz::fuzz {

inline const std::vector<ParamSpec>& param_specs() {
  static const std::vector<ParamSpec> specs = {
      {"processes", ParamType::Int, int64_t{5}, 1, 32, "", ""},
      {"first_loop", ParamType::Int, int64_t{10}, 0, 100000, "", ""},
      {"sleep", ParamType::Float, 0.1, 0.0, 10.0, "", ""},
      {"join_timeout", ParamType::Float, 1.0, -1.0, 60.0, "", ""},
      {"daemon", ParamType::Bool, true, 0, 0, "", ""},
      {"x", ParamType::Int, int64_t{-3}, -9.5, 9.5, "", ""},
  };
  return specs;
}

// After any sequence of set() calls every value still has its spec's type
// and lies in its range.
inline void check_in_range(const ParamValues& v, const std::vector<ParamSpec>& specs) {
  for (const auto& s : specs) {
    auto it = v.all().find(s.key);
    if (it == v.all().end()) std::abort();
    switch (s.type) {
      case ParamType::Int: {
        auto* i = std::get_if<int64_t>(&it->second);
        if (!i || *i < s.min || *i > s.max) std::abort();
        break;
      }
      case ParamType::Float: {
        auto* d = std::get_if<double>(&it->second);
        if (!d || !(*d >= s.min && *d <= s.max)) std::abort();
        break;
      }
      case ParamType::Bool:
        if (!std::holds_alternative<bool>(it->second)) std::abort();
        break;
    }
  }
  if (v.all().size() != specs.size()) std::abort();
}

}  // namespace mpviz::fuzz
