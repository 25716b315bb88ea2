// Word wrapping that also breaks between Chinese characters. ImGui 1.86's
// TextWrapped only breaks at spaces, which leaves ragged lines in Chinese.
#pragma once
#include <string_view>

namespace mpviz::gui {

// Draws text wrapped at the current content width (no allocation).
void text_wrapped_cjk(std::string_view text);

}  // namespace mpviz::gui
