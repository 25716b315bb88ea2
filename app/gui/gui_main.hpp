// Entry point of the ImGui + GLFW window (`mpviz` / `mpviz gui`).
#pragma once
#include <optional>
#include <string>

namespace mpviz::gui {

struct GuiOptions {
  std::string scenario;           // preselected scenario ("" = default)
  std::string open_recording;     // --open REC.jsonl
  bool autorun = false;           // press Run at start
  double speed = 1.0;
  std::string lang = "zh";        // "zh" | "en"
  std::string screenshot;         // --screenshot PNG (taken at quit_after)
  std::optional<double> quit_after;  // seconds
  std::optional<int> bench_frames;   // draw N frames, print frame-time JSON, exit
  std::string exe;                // this binary (for the supervisor)
};

// Returns the process exit code (0 ok, 1 failure such as no display, 2 bad input).
int run_gui(const GuiOptions& opt);

}  // namespace mpviz::gui
