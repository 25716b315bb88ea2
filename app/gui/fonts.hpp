// Loads the UI font: Noto Sans CJK SC through ImGui's FreeType builder, with
// glyph ranges covering the UI strings, the scenario texts and the common
// simplified Chinese characters. Falls back to ImGui's default font (with a
// warning on stderr) when the font file is missing.
#pragma once
#include <string_view>
#include <vector>

namespace mpviz::gui {

struct FontResult {
  bool cjk = false;  // false: default font (no Chinese glyphs)
};

// `texts`: extra strings whose characters must be in the atlas (scenario
// titles and explanations). Call before the renderer backend builds the atlas.
FontResult load_fonts(float size_px, const std::vector<std::string_view>& texts);

}  // namespace mpviz::gui
