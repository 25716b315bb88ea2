// Turns one lane's segments into what to draw for the visible time range:
// two binary searches find the visible segments; runs of segments narrower
// than kFoldPx are folded into one "N events" item, so the output grows
// with the width in pixels, not with the number of segments; with the block
// maxima, so does the work (O(pixels x log n) per lane). GUI-free.
#pragma once
#include <cstddef>
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

// The longest segment (t1 - t0; open: kOpenEnd) of each block of kSegBlock
// segments, so lane_items can skip dense stretches by binary search.
inline constexpr size_t kSegBlock = 32;
struct BlockMax {
  std::vector<int64_t> max;
  size_t done = 0;  // segments seen
};
// Brings `bm` up to date with a lane that only grew at its end since the
// last call (reset `bm` when the lanes were rebuilt). O(new segments).
void update_block_max(const std::vector<Segment>& segs, BlockMax& bm);

// Clears `out` and fills it (reuse the vector: no allocation once it is big
// enough). With block_max (update_block_max's .max for these segments), a
// dense stretch costs a binary search instead of a walk: the same items.
void lane_items(const std::vector<Segment>& segs, const LaneView& v, std::vector<LaneItem>& out,
                const std::vector<int64_t>* block_max = nullptr);

}  // namespace mpviz::gui
