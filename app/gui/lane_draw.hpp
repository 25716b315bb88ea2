// Turns one lane's segments into what to draw for the visible time range:
// two binary searches find the visible segments; runs of segments narrower
// than kFoldPx are folded into one "N events" item, so the output grows
// with the width in pixels, not with the number of segments. GUI-free.
#pragma once
#include <cstdint>
#include <vector>

#include "app/gui/lane_model.hpp"

namespace mpviz::gui {

inline constexpr float kFoldPx = 3.0f;  // the one threshold for folding

struct LaneItem {
  float x0 = 0, x1 = 0;  // pixels, clipped to the view
  LaneState state = LaneState::Running;
  bool holding = false;
  int32_t count = 1;  // > 1: a fold of `count` narrow segments
  int32_t first = 0;  // index of the first segment
};

struct LaneView {
  double t0 = 0;          // ns at x0
  double ns_per_px = 1;
  float x0 = 0, x1 = 0;   // pixel range
  int64_t now = 0;        // end of an open segment
};

// Clears `out` and fills it (reuse the vector: no allocation once it is big enough).
void lane_items(const std::vector<Segment>& segs, const LaneView& v, std::vector<LaneItem>& out);

}  // namespace mpviz::gui
