// libFuzzer target: `--set KEY=VALUE` (engine/scenario/params.cpp). Each input line
// is one KEY=VALUE applied to specs of every type; a rejected one must say
// why, an accepted one must leave every value typed and in range.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "fuzz_specs.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const auto& specs = mpviz::fuzz::param_specs();
  auto values = mpviz::ParamValues::defaults(specs);
  std::string in(reinterpret_cast<const char*>(data), size);
  size_t at = 0;
  while (at <= in.size()) {
    size_t nl = in.find('\n', at);
    if (nl == std::string::npos) nl = in.size();
    std::string kv = in.substr(at, nl - at);
    auto err = values.set(specs, kv);
    if (err && err->empty()) std::abort();
    at = nl + 1;
  }
  mpviz::fuzz::check_in_range(values, specs);
  // The formatted values parse back to the same values (the run
  // configuration hands parameters to scenario processes this way).
  auto again = mpviz::ParamValues::defaults(specs);
  for (const auto& [k, v] : values.all())
    if (again.set(specs, k + "=" + mpviz::format_param(v))) std::abort();
  for (const auto& [k, v] : values.all())  // %g keeps 6 digits: floats only approximately
    if (!std::holds_alternative<double>(v) && again.all().at(k) != v) std::abort();
  return 0;
}
