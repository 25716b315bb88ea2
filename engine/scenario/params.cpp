#include "engine/scenario/params.hpp"

#include <charconv>
#include <cmath>
#include <cstdio>
#include <stdexcept>

namespace mpviz {

ParamValues ParamValues::defaults(const std::vector<ParamSpec>& specs) {
  ParamValues v;
  for (const auto& s : specs) v.values_[s.key] = s.def;
  return v;
}

std::optional<std::string> ParamValues::set(const std::vector<ParamSpec>& specs,
                                            const std::string& kv) {
  auto eq = kv.find('=');
  if (eq == std::string::npos || eq == 0)
    return "--set wants KEY=VALUE, got '" + kv + "'";
  std::string key = kv.substr(0, eq), val = kv.substr(eq + 1);
  const ParamSpec* spec = nullptr;
  for (const auto& s : specs)
    if (s.key == key) spec = &s;
  if (!spec) {
    std::string known;
    for (const auto& s : specs) known += (known.empty() ? "" : ", ") + s.key;
    return "unknown parameter '" + key + "' (this scenario has: " +
           (known.empty() ? "none" : known) + ")";
  }
  const char* b = val.data();
  const char* e = val.data() + val.size();
  auto range_error = [&]() {
    char buf[160];
    std::snprintf(buf, sizeof buf, "parameter '%s' must be between %g and %g, got '%s'",
                  key.c_str(), spec->min, spec->max, val.c_str());
    return std::string(buf);
  };
  switch (spec->type) {
    case ParamType::Int: {
      int64_t x = 0;
      auto r = std::from_chars(b, e, x);
      if (val.empty() || r.ec != std::errc() || r.ptr != e)
        return "parameter '" + key + "' wants a whole number, got '" + val + "'";
      if (x < spec->min || x > spec->max) return range_error();
      values_[key] = x;
      break;
    }
    case ParamType::Float: {
      double x = 0;
      auto r = std::from_chars(b, e, x);
      if (val.empty() || r.ec != std::errc() || r.ptr != e || !std::isfinite(x))
        return "parameter '" + key + "' wants a number, got '" + val + "'";
      if (x < spec->min || x > spec->max) return range_error();
      values_[key] = x;
      break;
    }
    case ParamType::Bool: {
      if (val == "true" || val == "1" || val == "yes" || val == "on") values_[key] = true;
      else if (val == "false" || val == "0" || val == "no" || val == "off") values_[key] = false;
      else return "parameter '" + key + "' wants true or false, got '" + val + "'";
      break;
    }
  }
  return std::nullopt;
}

int64_t ParamValues::get_int(const std::string& key) const {
  auto it = values_.find(key);
  if (it == values_.end()) throw std::logic_error("no parameter " + key);
  if (auto* i = std::get_if<int64_t>(&it->second)) return *i;
  if (auto* d = std::get_if<double>(&it->second)) return static_cast<int64_t>(*d);
  return std::get<bool>(it->second) ? 1 : 0;
}

double ParamValues::get_float(const std::string& key) const {
  auto it = values_.find(key);
  if (it == values_.end()) throw std::logic_error("no parameter " + key);
  if (auto* d = std::get_if<double>(&it->second)) return *d;
  if (auto* i = std::get_if<int64_t>(&it->second)) return static_cast<double>(*i);
  return std::get<bool>(it->second) ? 1.0 : 0.0;
}

bool ParamValues::get_bool(const std::string& key) const {
  auto it = values_.find(key);
  if (it == values_.end()) throw std::logic_error("no parameter " + key);
  if (auto* b = std::get_if<bool>(&it->second)) return *b;
  return get_int(key) != 0;
}

std::string param_type_name(ParamType t) {
  switch (t) {
    case ParamType::Int: return "int";
    case ParamType::Float: return "float";
    case ParamType::Bool: return "bool";
  }
  return "?";
}

std::string format_param(const ParamValue& v) {
  if (auto* i = std::get_if<int64_t>(&v)) return std::to_string(*i);
  if (auto* d = std::get_if<double>(&v)) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%g", *d);
    return buf;
  }
  return std::get<bool>(v) ? "true" : "false";
}

}  // namespace mpviz
