#include "app/gui/frame_stats.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace mpviz::gui {

std::string FrameStats::json() const {
  std::vector<double> v = ms_;
  std::sort(v.begin(), v.end());
  double mean = 0;
  for (double x : v) mean += x;
  auto pct = [&](double p) {
    if (v.empty()) return 0.0;
    // Nearest rank.
    size_t i = static_cast<size_t>(std::ceil(p * static_cast<double>(v.size())));
    return v[std::min(v.size() - 1, i > 0 ? i - 1 : 0)];
  };
  if (!v.empty()) mean /= static_cast<double>(v.size());
  char buf[256];
  std::snprintf(buf, sizeof buf,
                "{\"frames\":%zu,\"mean_ms\":%.3f,\"p50_ms\":%.3f,\"p95_ms\":%.3f,\"max_ms\":%.3f}",
                v.size(), mean, pct(0.50), pct(0.95), v.empty() ? 0.0 : v.back());
  return buf;
}

}  // namespace mpviz::gui
