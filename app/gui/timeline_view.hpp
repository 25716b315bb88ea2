// The timeline: one lane per process (children nested under their parent),
// bars coloured by state (LaneModel, folded by lane_draw), pool tasks on the
// worker lanes, print markers, hand-off arrows (flows), a time ruler, the
// time cursor. Wheel zooms around the mouse, drag pans, click puts the
// cursor, right-click a lane to kill/terminate its process, hover for
// details. Keeps only its view state (visible range, follow, caches).
#pragma once
#include <cstdint>
#include <unordered_map>
#include <utility>
#include <vector>

#include "app/gui/app_state.hpp"
#include "app/gui/lane_draw.hpp"

namespace mpviz::gui {

class TimelineView {
 public:
  void draw(AppState& s);
  void fit_all() { follow_ = true; }
  void zoom(double factor);  // + / - keys: around the cursor (or the middle)

 private:
  void draw_header(AppState& s);
  void draw_ruler(float x0, float x1, float y0, float h);
  void update_order(const AppState& s);
  void update_pool_tasks(const AppState& s);
  void draw_flows(AppState& s, float bx0, float bx1, int hover_lane);
  void lane_menu(AppState& s);

  bool follow_ = true;        // keep [0, now] in view (off after zoom/pan)
  double t0_ = 0, t1_ = 1e9;  // visible range, ns
  bool dragging_ = false;
  float drag_dist_ = 0;
  double ns_per_px_ = 1;
  float bx0_ = 0;
  int32_t menu_pid_ = 0;

  // Caches (rebuilt when the run's events change; reused every frame).
  uint64_t order_gen_ = ~0ull;
  std::vector<int> order_, depth_;  // display order of lane indices, nesting depth
  std::vector<float> lane_y_;       // per lane index: centre y this frame (or -1)
  uint64_t pool_gen_ = ~0ull;
  std::vector<std::vector<uint32_t>> pool_spans_;  // per lane index: PoolTask span indices
  std::vector<LaneItem> items_;
  uint64_t block_rewrite_ = ~0ull;   // the run's rewrite generation block_max_ is for
  std::vector<BlockMax> block_max_;  // per lane index (lane_items' skip-ahead)
  uint64_t flows_gen_ = ~0ull;  // draw_flows: analysis the two below are for
  bool flows_sorted_ = false;   // flows sorted by t_to (then culled by binary search)
  int64_t max_flow_ns_ = 0;     // longest flow (t_to - t_from)
  std::unordered_map<uint64_t, std::pair<float, float>> flow_last_;  // per frame: last arrow drawn per key
};

}  // namespace mpviz::gui
