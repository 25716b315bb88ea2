#include "app/gui/screenshot.hpp"

#include <glad/gl.h>
// The implementation comes from libstb (Debian), which imgui's pkg-config
// entry already links; no STB_IMAGE_WRITE_IMPLEMENTATION here.
#include <stb_image_write.h>

#include <algorithm>
#include <cstring>
#include <vector>

namespace mpviz::gui {

std::string write_screenshot(const std::string& path, int width, int height) {
  return write_screenshot_crop(path, width, height, 0, 0, width, height);
}

std::string write_screenshot_crop(const std::string& path, int width, int height, int x, int y,
                                  int w, int h) {
  if (width <= 0 || height <= 0) return "empty framebuffer";
  x = std::clamp(x, 0, width - 1);
  y = std::clamp(y, 0, height - 1);
  w = std::clamp(w, 1, width - x);
  h = std::clamp(h, 1, height - y);
  // From here on, the rectangle is the picture; GL counts rows from the bottom.
  const int gl_y = height - y - h;
  width = w;
  height = h;
  const size_t stride = static_cast<size_t>(width) * 3;
  std::vector<unsigned char> pixels(stride * static_cast<size_t>(height));
  glPixelStorei(GL_PACK_ALIGNMENT, 1);
  glReadBuffer(GL_BACK);
  glReadPixels(x, gl_y, width, height, GL_RGB, GL_UNSIGNED_BYTE, pixels.data());
  if (glGetError() != GL_NO_ERROR) return "glReadPixels failed";
  // GL's first row is the bottom one; PNG's is the top one.
  std::vector<unsigned char> row(stride);
  for (int y = 0; y < height / 2; ++y) {
    unsigned char* a = pixels.data() + static_cast<size_t>(y) * stride;
    unsigned char* b = pixels.data() + static_cast<size_t>(height - 1 - y) * stride;
    std::memcpy(row.data(), a, stride);
    std::memcpy(a, b, stride);
    std::memcpy(b, row.data(), stride);
  }
  if (!stbi_write_png(path.c_str(), width, height, 3, pixels.data(), static_cast<int>(stride)))
    return "cannot write '" + path + "'";
  return {};
}

}  // namespace mpviz::gui
