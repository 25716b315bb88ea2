#include "app/gui/lane_draw.hpp"

#include <algorithm>
#include <cstddef>

namespace mpviz::gui {
namespace {
// A fold window with more segments than this is skipped by binary search.
constexpr std::ptrdiff_t kSkipMin = 16;
}  // namespace


void update_block_max(const std::vector<Segment>& segs, BlockMax& bm) {
  if (segs.size() < bm.done) bm = BlockMax{};
  const size_t nb = (segs.size() + kSegBlock - 1) / kSegBlock;
  bm.max.resize(nb, 0);
  auto redo = [&](size_t b) {
    int64_t m = 0;
    for (size_t i = b * kSegBlock; i < std::min(segs.size(), (b + 1) * kSegBlock); ++i)
      m = std::max(m, segs[i].t1 == kOpenEnd ? kOpenEnd : segs[i].t1 - segs[i].t0);
    bm.max[b] = m;
  };
  // Only the last segment (closed, replaced) and the first (a late
  // process_start moves its t0) change once pushed.
  if (nb > 0) redo(0);
  for (size_t b = bm.done > 0 ? (bm.done - 1) / kSegBlock : 0; b < nb; ++b) redo(b);
  bm.done = segs.size();
}

void lane_items(const std::vector<Segment>& segs, const LaneView& v, std::vector<LaneItem>& out,
                const std::vector<int64_t>* block_max) {
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
      if (fold.x1 - fold.x0 >= 4 * kFoldPx) {
        flush();
        continue;
      }
      // Skip ahead: when many more segments start before the fold reaches
      // its full width, a binary search finds the end of that window and
      // the block maxima find the first segment in it that is not narrow;
      // everything before that joins the fold at once. So a lane costs
      // O(pixels x log n) at full zoom, not O(n), and the items are the same
      // as walking one by one. Sparse stretches are walked as before.
      // (A hair short of the full width, so float rounding never lets the
      // skip absorb a segment the walk would have started a new fold with.)
      const double t_lim = v.t0 + (fold.x0 + 4 * kFoldPx - 0.01 - v.x0) * v.ns_per_px;
      if (block_max && last - it > kSkipMin && static_cast<double>((it + kSkipMin)->t0) < t_lim) {
        auto j = std::lower_bound(it + kSkipMin + 1, last, t_lim,
                                  [](const Segment& s, double t) { return static_cast<double>(s.t0) < t; });
        // Candidates: [it + 1, j - 2]; j - 1 may reach past the window.
        const size_t lo = static_cast<size_t>(it - segs.begin()) + 1;
        const size_t hi = static_cast<size_t>(j - segs.begin()) - 1;  // exclusive
        const double wide_ns = (kFoldPx - 0.01) * v.ns_per_px;  // a hair early: the walk decides
        const auto& bm = *block_max;
        size_t i = lo;
        while (i < hi) {
          const size_t b = i / kSegBlock;
          if (i % kSegBlock == 0 && i + kSegBlock <= hi && b < bm.size() &&
              static_cast<double>(bm[b]) < wide_ns) {
            i += kSegBlock;
            continue;
          }
          const Segment& sg = segs[i];
          if (sg.t1 == kOpenEnd || static_cast<double>(sg.t1 - sg.t0) >= wide_ns) break;
          ++i;
        }
        if (i > lo) {
          const Segment& prev = segs[i - 1];  // the last one absorbed (closed: not the last segment)
          fold.x1 = std::max(fold.x1, std::min(tx(static_cast<double>(prev.t1)), v.x1));
          fold.count += static_cast<int32_t>(i - lo);
          it = segs.begin() + static_cast<std::ptrdiff_t>(i - 1);  // ++it: next is segment i
        }
      }
      continue;
    }
    flush();
    out.push_back(LaneItem{xa, xb, it->state, it->holding, 1, idx});
  }
  flush();
}

}  // namespace mpviz::gui
