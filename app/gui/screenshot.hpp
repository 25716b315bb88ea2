// Reads back the current framebuffer and writes it as a PNG (for
// `--screenshot`, used by the GUI tests and for documentation).
#pragma once
#include <string>

namespace mpviz::gui {

// Reads the back buffer (call after rendering, before swapping) of size
// width x height. Returns "" or an error message.
std::string write_screenshot(const std::string& path, int width, int height);

// The same, cropped to a rectangle given in framebuffer pixels from the top
// left (clamped to the framebuffer).
std::string write_screenshot_crop(const std::string& path, int width, int height, int x, int y,
                                  int w, int h);

}  // namespace mpviz::gui
