#include "app/gui/wrap_text.hpp"

#include <imgui.h>
#include <imgui_internal.h>  // ImTextCharFromUtf8

namespace mpviz::gui {
namespace {

bool is_cjk(unsigned c) { return c >= 0x2E80; }  // CJK, kana, fullwidth forms, CJK punctuation

// Punctuation that must not start a line (closing) or end one (opening).
bool is_closing(unsigned c) {
  switch (c) {
    case 0xFF0C: case 0x3002: case 0x3001: case 0xFF1A: case 0xFF1B: case 0xFF01:
    case 0xFF1F: case 0xFF09: case 0x300D: case 0x300F: case 0x3011: case 0x201D:
    case 0x2019: case 0x300B: case 0x2026:
      return true;
    default:
      return false;
  }
}
bool is_opening(unsigned c) {
  switch (c) {
    case 0xFF08: case 0x300C: case 0x300E: case 0x3010: case 0x201C: case 0x2018: case 0x300A:
      return true;
    default:
      return false;
  }
}

void emit(const char* b, const char* e) {
  while (e > b && e[-1] == ' ') --e;
  ImGui::TextUnformatted(b, e);
}

}  // namespace

void text_wrapped_cjk(std::string_view text) {
  ImFont* font = ImGui::GetFont();
  const float scale = ImGui::GetFontSize() / font->FontSize;
  const float width = ImGui::GetContentRegionAvail().x;
  const char* p = text.data();
  const char* end = p + text.size();
  const char* line = p;
  const char* brk = nullptr;  // last break opportunity on this line
  float w = 0;
  unsigned prev = 0;
  while (p < end) {
    unsigned c = 0;
    const int len = ImTextCharFromUtf8(&c, p, end);
    const char* next = p + (len > 0 ? len : 1);
    if (c == '\n') {
      emit(line, p);
      line = next;
      brk = nullptr;
      w = 0;
      prev = 0;
      p = next;
      continue;
    }
    // Before a CJK character is a break opportunity (unless it is closing
    // punctuation or follows opening punctuation).
    if (is_cjk(c) && !is_closing(c) && !is_opening(prev) && p > line) brk = p;
    const float adv = font->GetCharAdvance(static_cast<ImWchar>(c)) * scale;
    // Closing punctuation never starts a line: it may hang past the edge.
    if (w + adv > width && p > line && !is_closing(c)) {
      const char* cut = brk && brk > line ? brk : p;
      emit(line, cut);
      line = cut;
      while (line < end && *line == ' ') ++line;
      brk = nullptr;
      // Width of what moved to the new line, up to and including c.
      w = ImGui::CalcTextSize(line, next).x;
    } else {
      w += adv;
    }
    if (c == ' ' || (is_cjk(c) && !is_opening(c))) brk = next;
    prev = c;
    p = next;
  }
  if (line < end) emit(line, end);
}

}  // namespace mpviz::gui
