// Asserts on the pixels of a GUI screenshot (written by `mpviz gui
// --screenshot`). Usage:
//   check_screenshot PNG run      1280x800, not one colour, lanes of a run drawn
//   check_screenshot PNG idle     1280x800, not one colour, no lanes drawn
//   check_screenshot A.png differ B.png   both valid and visibly different
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

bool load(const char* path, Image& img, std::string& why) {
  int n = 0;
  img.px = stbi_load(path, &img.w, &img.h, &n, 3);
  if (!img.px) {
    why = std::string("cannot read PNG: ") + (stbi_failure_reason() ? stbi_failure_reason() : "?");
    return false;
  }
  if (img.w != 1280 || img.h != 800) {
    why = "size " + std::to_string(img.w) + "x" + std::to_string(img.h) + ", expected 1280x800";
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

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: check_screenshot PNG run|idle|differ [PNG2]\n");
    return 2;
  }
  const char* path = argv[1];
  const std::string mode = argv[2];
  Image img;
  std::string why;
  if (!load(path, img, why)) return fail(path, why);

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
  if (mode == "run") {
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
