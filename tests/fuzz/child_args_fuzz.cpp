// libFuzzer target: the JSON a spawned child gets on its command line for its
// entry's arguments (engine/scenario/args.cpp: plain values and handles to
// shared objects). Any text: no crash, no undefined behaviour; what parses
// re-encodes to JSON that parses to the same arguments.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>
#include <variant>

#include "engine/scenario/args.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto a = mpviz::rt::Args::from_json(text);
  if (!a) return 0;
  auto b = mpviz::rt::Args::from_json(a->to_json());
  if (!b || b->values() != a->values()) std::abort();
  // The typed accessors agree with what was parsed.
  for (size_t k = 0; k < a->size(); ++k) {
    const auto& v = a->values()[k];
    if (auto* i = std::get_if<int64_t>(&v); i && (a->i(k) != *i || a->f(k) != static_cast<double>(*i)))
      std::abort();
    if (auto* s = std::get_if<std::string>(&v); s && a->s(k) != *s) std::abort();
    if (auto* h = std::get_if<mpviz::rt::Handle>(&v); h && !(a->h(k) == *h)) std::abort();
  }
  return 0;
}
