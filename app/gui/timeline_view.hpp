// The timeline: one lane per process, bars coloured by state (from
// LaneModel), a time ruler, mouse-wheel zoom around the cursor, drag to pan,
// hover for details. Keeps only its view state (visible time range, follow).
#pragma once
#include <cstdint>

#include "app/gui/app_state.hpp"

namespace mpviz::gui {

class TimelineView {
 public:
  void draw(AppState& s);
  void fit_all() { follow_ = true; }

 private:
  void draw_header(AppState& s);
  void draw_ruler(float x0, float x1, float y0, float h);

  bool follow_ = true;     // keep [0, now] in view (off after zoom/pan)
  double t0_ = 0, t1_ = 1e9;  // visible range, ns
  bool dragging_ = false;
};

}  // namespace mpviz::gui
