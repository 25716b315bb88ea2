#include "engine/scenario/args.hpp"

#include <nlohmann/json.hpp>
#include <climits>
#include <cmath>
#include <cstdint>
#include <stdexcept>

namespace mpviz::rt {

const Value& Args::at(size_t k) const {
  if (k >= values_.size()) throw std::out_of_range("entry argument index out of range");
  return values_[k];
}
int64_t Args::i(size_t k) const { return std::get<int64_t>(at(k)); }
double Args::f(size_t k) const {
  if (auto* i = std::get_if<int64_t>(&at(k))) return static_cast<double>(*i);
  return std::get<double>(at(k));
}
bool Args::b(size_t k) const { return std::get<bool>(at(k)); }
const std::string& Args::s(size_t k) const { return std::get<std::string>(at(k)); }
const Handle& Args::h(size_t k) const { return std::get<Handle>(at(k)); }

std::string Args::to_json() const {
  nlohmann::json arr = nlohmann::json::array();
  for (const auto& v : values_) {
    std::visit(
        [&](const auto& x) {
          using T = std::decay_t<decltype(x)>;
          if constexpr (std::is_same_v<T, int64_t>) arr.push_back({{"i", x}});
          else if constexpr (std::is_same_v<T, double>) arr.push_back({{"f", x}});
          else if constexpr (std::is_same_v<T, bool>) arr.push_back({{"b", x}});
          else if constexpr (std::is_same_v<T, std::string>) arr.push_back({{"s", x}});
          else
            arr.push_back({{"h", {{"kind", x.kind}, {"offset", x.offset},
                                  {"fd0", x.fd0}, {"fd1", x.fd1}}}});
        },
        v);
  }
  return arr.dump();
}

namespace {
// Strict conversions: a value of the wrong JSON type, or one out of range
// for its C++ type, is an error (nlohmann's get<> converts a float to an
// integer with undefined behaviour when it does not fit). Found by
// tests/fuzz/child_args_fuzz.cpp.
bool get_i64(const nlohmann::json& j, int64_t& out) {
  if (j.is_number_unsigned()) {
    if (j.get<uint64_t>() > static_cast<uint64_t>(INT64_MAX)) return false;
    out = static_cast<int64_t>(j.get<uint64_t>());
    return true;
  }
  if (!j.is_number_integer()) return false;
  out = j.get<int64_t>();
  return true;
}
bool get_int(const nlohmann::json& j, int& out) {
  int64_t v = 0;
  if (!get_i64(j, v) || v < INT_MIN || v > INT_MAX) return false;
  out = static_cast<int>(v);
  return true;
}
bool get_u64(const nlohmann::json& j, uint64_t& out) {
  if (!j.is_number_unsigned()) return false;  // integers >= 0 parse as unsigned
  out = j.get<uint64_t>();
  return true;
}
bool get_double(const nlohmann::json& j, double& out) {
  if (!j.is_number()) return false;
  out = j.get<double>();
  return std::isfinite(out);  // JSON has no inf/nan: it would not come back
}
}  // namespace

std::optional<Args> Args::from_json(std::string_view text) {
  auto j = nlohmann::json::parse(text, nullptr, false);
  if (!j.is_array()) return std::nullopt;
  Args a;
  for (const auto& e : j) {
    if (!e.is_object() || e.size() != 1) return std::nullopt;
    const std::string& key = e.begin().key();
    const nlohmann::json& v = e.begin().value();
    if (key == "i") {
      int64_t x = 0;
      if (!get_i64(v, x)) return std::nullopt;
      a.values_.emplace_back(std::in_place_type<int64_t>, x);
    } else if (key == "f") {
      double x = 0;
      if (!get_double(v, x)) return std::nullopt;
      a.values_.emplace_back(std::in_place_type<double>, x);
    } else if (key == "b") {
      if (!v.is_boolean()) return std::nullopt;
      a.values_.emplace_back(std::in_place_type<bool>, v.get<bool>());
    } else if (key == "s") {
      if (!v.is_string()) return std::nullopt;
      a.values_.emplace_back(std::in_place_type<std::string>, v.get<std::string>());
    } else if (key == "h") {
      Handle hd;
      if (!v.is_object()) return std::nullopt;
      auto kind = v.find("kind"), offset = v.find("offset"), fd0 = v.find("fd0"), fd1 = v.find("fd1");
      if (kind == v.end() || !kind->is_string() || offset == v.end() || !get_u64(*offset, hd.offset) ||
          fd0 == v.end() || !get_int(*fd0, hd.fd0) || fd1 == v.end() || !get_int(*fd1, hd.fd1))
        return std::nullopt;
      hd.kind = kind->get<std::string>();
      a.values_.emplace_back(std::in_place_type<Handle>, std::move(hd));
    } else {
      return std::nullopt;
    }
  }
  return a;
}

}  // namespace mpviz::rt
