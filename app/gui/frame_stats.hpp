// Frame times for `--bench-frames N`: collected into a preallocated buffer,
// summarised as one JSON line on stdout.
#pragma once
#include <string>
#include <vector>

namespace mpviz::gui {

class FrameStats {
 public:
  explicit FrameStats(int frames) { ms_.reserve(static_cast<size_t>(frames > 0 ? frames : 0)); }
  void add(double ms) { ms_.push_back(ms); }
  int count() const { return static_cast<int>(ms_.size()); }
  // {"frames":N,"mean_ms":..,"p50_ms":..,"p95_ms":..,"max_ms":..}
  std::string json() const;

 private:
  std::vector<double> ms_;
};

}  // namespace mpviz::gui
