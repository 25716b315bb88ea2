// Placeholder until the window lands: keeps the binary linkable.
#include <cstdio>

#include "app/gui/gui_main.hpp"

namespace mpviz::gui {
int run_gui(const GuiOptions&) {
  std::fprintf(stderr, "mpviz: the GUI is not built yet\n");
  return 1;
}
}  // namespace mpviz::gui
