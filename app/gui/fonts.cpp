#include "app/gui/fonts.hpp"

#include <imgui.h>
#include <imgui_freetype.h>

#include <cstdio>
#include <string>
#include <unistd.h>

#include "app/data_dir.hpp"
#include "app/gui/ui_text.hpp"

namespace mpviz::gui {
namespace {

// Debian's fonts-noto-cjk (a dependency of the package); a copy in the data
// directory (app/data_dir.hpp, fonts/) wins, for systems without it.
constexpr const char* kSystemCjkFont = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc";
constexpr int kScFace = 2;  // faces in the .ttc: JP, KR, SC, TC, HK

// Symbols that the event details use and that the CJK common range misses.
constexpr const char* kExtraGlyphs = "●■→←…·–—“”‘’（），：；。、！？「」【】×✓▶◀▲▼◆";

// The ranges must outlive the atlas build, which happens later in the
// renderer backend: keep them in static storage.
ImVector<ImWchar>& glyph_ranges() {
  static ImVector<ImWchar> ranges;
  return ranges;
}

std::string cjk_font() {
  std::string bundled = data_dir().empty() ? std::string() : data_path("fonts/NotoSansCJK-Regular.ttc");
  if (!bundled.empty() && access(bundled.c_str(), R_OK) == 0) return bundled;
  return kSystemCjkFont;
}

}  // namespace

FontResult load_fonts(float size_px, const std::vector<std::string_view>& texts) {
  ImGuiIO& io = ImGui::GetIO();
  const std::string font = cjk_font();
  const char* kCjkFont = font.c_str();
  if (access(kCjkFont, R_OK) != 0) {
    std::fprintf(stderr,
                 "mpviz: warning: %s not found; using the default font (Chinese text will "
                 "not show; install fonts-noto-cjk)\n",
                 kCjkFont);
    ImFontConfig cfg;
    cfg.SizePixels = size_px;
    io.Fonts->AddFontDefault(&cfg);
    return {};
  }

  ImFontGlyphRangesBuilder b;
  b.AddRanges(io.Fonts->GetGlyphRangesDefault());
  b.AddRanges(io.Fonts->GetGlyphRangesChineseSimplifiedCommon());
  b.AddText(kExtraGlyphs);
  for_each_ui_string([&](const char* s) { b.AddText(s); });
  for (std::string_view t : texts) b.AddText(t.data(), t.data() + t.size());
  ImVector<ImWchar>& ranges = glyph_ranges();
  ranges.clear();
  b.BuildRanges(&ranges);

  io.Fonts->FontBuilderIO = ImGuiFreeType::GetBuilderForFreeType();
  ImFontConfig cfg;
  cfg.FontNo = kScFace;
  cfg.OversampleH = cfg.OversampleV = 1;  // FreeType hints; no need to oversample
  ImFont* f = io.Fonts->AddFontFromFileTTF(kCjkFont, size_px, &cfg, ranges.Data);
  if (!f) {
    std::fprintf(stderr, "mpviz: warning: cannot load %s; using the default font\n", kCjkFont);
    io.Fonts->AddFontDefault();
    return {};
  }
  return {true};
}

}  // namespace mpviz::gui
