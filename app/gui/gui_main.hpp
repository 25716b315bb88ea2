// Entry point of the ImGui + GLFW window (`mpviz` / `mpviz gui`).
#pragma once
#include <optional>
#include <string>

namespace mpviz::gui {

struct GuiOptions {
  std::string scenario;           // preselected scenario ("" = default)
  std::string open_recording;     // --open REC.jsonl (replay) or PROGRAM.py (select it)
  bool autorun = false;           // press Run at start
  int explore = 0;                // open the Explore tab and explore N runs at start
  std::string explore_strategy = "random";
  int explore_replay = 0;         // then replay outcome K's schedule live (1 = most common)
  double speed = 1.0;
  std::string lang;               // "zh" | "en"; "" = remembered (else zh)
  std::string theme;              // "dark" | "light"; "" = remembered
  int font_scale = 0;             // percent 100..250; 0 = remembered
  bool step = false;              // runs start held (step mode)
  std::string screenshot;         // --screenshot PNG (taken at quit_after)
  std::optional<double> quit_after;  // seconds
  std::optional<int> bench_frames;   // draw N frames, print frame-time JSON, exit
  std::string exe;                // this binary (for the supervisor)
};

// Returns the process exit code (0 ok, 1 failure such as no display, 2 bad input).
int run_gui(const GuiOptions& opt);

}  // namespace mpviz::gui
