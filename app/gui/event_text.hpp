// One event's "details" column in the UI language, written into a caller's
// buffer (no allocation: the table formats only its visible rows each frame).
#pragma once
#include <cstddef>

#include "app/gui/ui_text.hpp"
#include "engine/wire/event.hpp"

namespace mpviz::gui {

void describe_event(const Event& e, Lang lang, char* buf, size_t size);

}  // namespace mpviz::gui
