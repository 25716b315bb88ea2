// Scenario parameters: their specs (type, default, range, help) and values,
// parsed from `--set KEY=VALUE` and validated with a one-line error.
#pragma once
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace mpviz {

enum class ParamType { Int, Float, Bool };

using ParamValue = std::variant<int64_t, double, bool>;

struct ParamSpec {
  std::string key;
  ParamType type = ParamType::Int;
  ParamValue def;
  double min = 0, max = 0;  // inclusive range (ignored for Bool)
  std::string help_en, help_zh;
};

class ParamValues {
 public:
  static ParamValues defaults(const std::vector<ParamSpec>& specs);
  // Applies "KEY=VALUE"; returns an error message on an unknown key, a value
  // of the wrong type or one out of range.
  std::optional<std::string> set(const std::vector<ParamSpec>& specs, const std::string& kv);

  int64_t get_int(const std::string& key) const;
  double get_float(const std::string& key) const;  // Int params convert
  bool get_bool(const std::string& key) const;
  const std::map<std::string, ParamValue>& all() const { return values_; }
  void put(const std::string& key, ParamValue v) { values_[key] = v; }

 private:
  std::map<std::string, ParamValue> values_;
};

std::string param_type_name(ParamType t);
std::string format_param(const ParamValue& v);

}  // namespace mpviz
