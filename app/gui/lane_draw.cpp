#include "app/gui/lane_draw.hpp"

#include <algorithm>

namespace mpviz::gui {

void lane_items(const std::vector<Segment>& segs, const LaneView& v, std::vector<LaneItem>& out) {
  out.clear();
  const double t_end = v.t0 + (v.x1 - v.x0) * v.ns_per_px;
  auto tx = [&](double t) { return v.x0 + static_cast<float>((t - v.t0) / v.ns_per_px); };
  auto it = std::upper_bound(segs.begin(), segs.end(), v.t0,
                             [](double t, const Segment& s) { return t < static_cast<double>(s.t0); });
  if (it != segs.begin()) --it;
  auto last = std::lower_bound(it, segs.end(), t_end,
                               [](const Segment& s, double t) { return static_cast<double>(s.t0) < t; });
  LaneItem fold;
  fold.count = 0;
  auto flush = [&] {
    if (fold.count > 0) {
      if (fold.count == 1) fold.x1 = std::max(fold.x1, fold.x0 + 1.0f);
      out.push_back(fold);
    }
    fold.count = 0;
  };
  for (; it != last; ++it) {
    const int64_t end = it->t1 == kOpenEnd ? std::max(v.now, it->t0) : it->t1;
    float xa = std::max(tx(static_cast<double>(it->t0)), v.x0);
    float xb = std::min(tx(static_cast<double>(end)), v.x1);
    if (xb < v.x0 || xa > v.x1) continue;
    const int32_t idx = static_cast<int32_t>(it - segs.begin());
    if (xb - xa < kFoldPx) {
      if (fold.count == 0) {
        fold = LaneItem{xa, xb, it->state, it->holding, 1, idx};
      } else {
        fold.x1 = std::max(fold.x1, xb);
        ++fold.count;
      }
      // A fold ends once it is wide enough to be read as one block.
      if (fold.x1 - fold.x0 >= 4 * kFoldPx) flush();
      continue;
    }
    flush();
    out.push_back(LaneItem{xa, xb, it->state, it->holding, 1, idx});
  }
  flush();
}

}  // namespace mpviz::gui
