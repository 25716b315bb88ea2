#include "engine/runtime/args.hpp"

#include <nlohmann/json.hpp>
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

std::optional<Args> Args::from_json(std::string_view text) {
  auto j = nlohmann::json::parse(text, nullptr, false);
  if (!j.is_array()) return std::nullopt;
  Args a;
  try {
    for (const auto& e : j) {
      if (e.contains("i")) {
        a.values_.emplace_back(std::in_place_type<int64_t>, e["i"].get<int64_t>());
      } else if (e.contains("f")) {
        a.values_.emplace_back(std::in_place_type<double>, e["f"].get<double>());
      } else if (e.contains("b")) {
        a.values_.emplace_back(std::in_place_type<bool>, e["b"].get<bool>());
      } else if (e.contains("s")) {
        a.values_.emplace_back(std::in_place_type<std::string>, e["s"].get<std::string>());
      } else if (e.contains("h")) {
        const auto& h = e["h"];
        Handle hd;
        hd.kind = h.at("kind").get<std::string>();
        hd.offset = h.at("offset").get<uint64_t>();
        hd.fd0 = h.at("fd0").get<int>();
        hd.fd1 = h.at("fd1").get<int>();
        a.values_.emplace_back(std::in_place_type<Handle>, std::move(hd));
      } else {
        return std::nullopt;
      }
    }
  } catch (const nlohmann::json::exception&) {
    return std::nullopt;
  }
  return a;
}

}  // namespace mpviz::rt
