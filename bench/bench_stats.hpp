// Small statistics and JSON helpers shared by the benchmark drivers. Every
// figure is a median over repetitions: these machines are noisy, and the
// median is what the CPython peer benchmark reports too.
#pragma once
#include <algorithm>
#include <cstdint>
#include <ctime>
#include <nlohmann/json.hpp>
#include <vector>

namespace mpviz::bench {

inline int64_t mono_ns() {
  timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<int64_t>(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec;
}

inline double median(std::vector<double> v) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  size_t m = v.size() / 2;
  return v.size() % 2 ? v[m] : (v[m - 1] + v[m]) / 2;
}

// {"median": .., "min": .., "max": .., "all": [..]} for one figure.
inline nlohmann::json summary(const std::vector<double>& v) {
  nlohmann::json j;
  j["median"] = median(v);
  j["min"] = v.empty() ? 0.0 : *std::min_element(v.begin(), v.end());
  j["max"] = v.empty() ? 0.0 : *std::max_element(v.begin(), v.end());
  j["all"] = v;
  return j;
}

}  // namespace mpviz::bench
