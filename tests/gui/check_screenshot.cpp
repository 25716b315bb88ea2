// Asserts on the pixels of a GUI screenshot (written by `mpviz gui
// --screenshot`). Usage:
//   check_screenshot PNG run      1280x800, not one colour, lanes of a run drawn
//   check_screenshot PNG idle     1280x800, not one colour, no lanes drawn
//   check_screenshot A.png differ B.png   both valid and visibly different
//   check_screenshot PNG run-at WxH  a run drawn in a window of that size (projector)
//   check_screenshot PNG queue    the sync panel (right third) shows queue item boxes
//   check_screenshot PNG sem      the sync panel shows a semaphore gauge / step graph
//   check_screenshot PNG held     the held-operations panel (step mode) is shown
//   check_screenshot PNG light    the light theme: a light window background
//   check_screenshot PNG banner   the red stuck / deadlock banner is shown
//   check_screenshot PNG failed   a lane ends "failed" (a nonzero exit code's mark)
// Exit 0 when the assertions hold, 1 (with a reason on stderr) otherwise.
#include <stb_image.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#include "app/gui/theme.hpp"

namespace {

struct Image {
  int w = 0, h = 0;
  unsigned char* px = nullptr;  // RGB
  ~Image() { stbi_image_free(px); }
  const unsigned char* at(int x, int y) const { return px + (static_cast<size_t>(y) * w + x) * 3; }
};

int fail(const char* path, const std::string& why) {
  std::fprintf(stderr, "check_screenshot: %s: %s\n", path, why.c_str());
  return 1;
}

int g_want_w = 1280, g_want_h = 800;

bool load(const char* path, Image& img, std::string& why) {
  int n = 0;
  img.px = stbi_load(path, &img.w, &img.h, &n, 3);
  if (!img.px) {
    why = std::string("cannot read PNG: ") + (stbi_failure_reason() ? stbi_failure_reason() : "?");
    return false;
  }
  if (g_want_w > 0 && (img.w != g_want_w || img.h != g_want_h)) {
    why = "size " + std::to_string(img.w) + "x" + std::to_string(img.h) + ", expected " +
          std::to_string(g_want_w) + "x" + std::to_string(g_want_h);
    return false;
  }
  bool uniform = true;
  for (int y = 0; y < img.h && uniform; ++y)
    for (int x = 0; x < img.w; ++x)
      if (std::memcmp(img.at(x, y), img.at(0, 0), 3) != 0) {
        uniform = false;
        break;
      }
  if (uniform) {
    why = "the image is a single colour";
    return false;
  }
  return true;
}

// Pixels of exactly the "sleeping" lane colour (bars are drawn unblended and
// without rounding, so their pixels are exact). A blank window shows that
// colour only in the legend's small swatch.
long sleeping_pixels(const Image& img) {
  const mpviz::gui::Rgb c = mpviz::gui::state_rgb(mpviz::gui::LaneState::Sleeping);
  long n = 0;
  for (int y = 0; y < img.h; ++y)
    for (int x = 0; x < img.w; ++x) {
      const unsigned char* p = img.at(x, y);
      if (p[0] == c.r && p[1] == c.g && p[2] == c.b) ++n;
    }
  return n;
}

// Pixels of exactly colour c with x >= x_from.
long count_rgb(const Image& img, mpviz::gui::Rgb c, int x_from = 0) {
  long n = 0;
  for (int y = 0; y < img.h; ++y)
    for (int x = x_from; x < img.w; ++x) {
      const unsigned char* p = img.at(x, y);
      if (p[0] == c.r && p[1] == c.g && p[2] == c.b) ++n;
    }
  return n;
}

int at_least(const char* path, const char* what, long n, long min) {
  std::printf("%s: %ld pixels of %s\n", path, n, what);
  if (n < min)
    return fail(path, std::string(what) + ": " + std::to_string(n) + " pixels < " + std::to_string(min));
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: check_screenshot PNG run|idle|differ [PNG2]\n");
    return 2;
  }
  const char* path = argv[1];
  const std::string mode = argv[2];
  std::string mode_s = mode;
  if (mode == "run-at") {
    if (argc < 4 || std::sscanf(argv[3], "%dx%d", &g_want_w, &g_want_h) != 2)
      return fail(path, "run-at needs WxH");
    mode_s = "run";
  } else if (mode != "run" && mode != "idle" && mode != "differ") {
    g_want_w = g_want_h = 0;  // the panel checks hold at any window size
  }
  Image img;
  std::string why;
  if (!load(path, img, why)) return fail(path, why);
  using mpviz::gui::Rgb;
  const int right = img.w * 7 / 10;  // the sync panel's column
  if (mode == "queue") return at_least(path, "queue boxes", count_rgb(img, mpviz::gui::kQueueBoxRgb, right), 1500);
  if (mode == "sem") return at_least(path, "semaphore orange", count_rgb(img, Rgb{255, 143, 0}, right), 300);
  if (mode == "held") return at_least(path, "held panel", count_rgb(img, mpviz::gui::kHeldBgRgb, right), 5000);
  if (mode == "banner") return at_least(path, "banner red", count_rgb(img, Rgb{184, 28, 28}), 20000);
  if (mode == "failed")
    return at_least(path, "failed-exit marks", count_rgb(img, mpviz::gui::kFailedExitRgb), 150);
  if (mode == "light") {
    double sum = 0;
    for (int y = 0; y < img.h; ++y)
      for (int x = 0; x < img.w; ++x) {
        const unsigned char* p = img.at(x, y);
        sum += 0.299 * p[0] + 0.587 * p[1] + 0.114 * p[2];
      }
    const double mean = sum / (static_cast<double>(img.w) * img.h);
    std::printf("%s: mean luminance %.1f\n", path, mean);
    if (mean < 170) return fail(path, "not a light theme: mean luminance " + std::to_string(mean));
    return at_least(path, "light background", count_rgb(img, mpviz::gui::kLightBgRgb), 5000);
  }

  if (mode == "differ") {
    if (argc < 4) return fail(path, "differ needs a second PNG");
    Image other;
    if (!load(argv[3], other, why)) return fail(argv[3], why);
    long diff = 0;
    for (int y = 0; y < img.h; ++y)
      for (int x = 0; x < img.w; ++x)
        if (std::memcmp(img.at(x, y), other.at(x, y), 3) != 0) ++diff;
    std::printf("%ld pixels differ\n", diff);
    // Different UI languages change every label: thousands of pixels.
    if (diff < 2000) return fail(path, "too few pixels differ from " + std::string(argv[3]));
    return 0;
  }

  const long sleeping = sleeping_pixels(img);
  std::printf("%s: %ld pixels of the sleeping-lane colour\n", path, sleeping);
  // The lock scenario: five children sleep most of the time, each lane
  // hundreds of pixels wide and 24 high; the legend swatch is ~14x14.
  constexpr long kRunMin = 10000, kIdleMax = 1000;
  if (mode_s == "run") {
    if (sleeping < kRunMin)
      return fail(path, "no run drawn: " + std::to_string(sleeping) + " sleeping-lane pixels < " +
                            std::to_string(kRunMin));
    return 0;
  }
  if (mode == "idle") {
    if (sleeping > kIdleMax)
      return fail(path, "lanes drawn in an idle window: " + std::to_string(sleeping) + " pixels");
    return 0;
  }
  return fail(path, "unknown mode '" + mode + "'");
}
