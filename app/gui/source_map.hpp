// Which line of a scenario's Python listing a process is at: a simple map
// from the kind of its current (or pending) operation to the first listing
// line with the matching call (`lock.acquire(`, `time.sleep(`, `q.put(` ...),
// preferring a line that names the operation's object. GUI-free.
#pragma once
#include <string>
#include <string_view>
#include <vector>

#include "engine/event.hpp"
#include "engine/sync_state.hpp"

namespace mpviz::gui {

// The call a kind corresponds to ("acquire", "sleep", ...), or nullptr.
const char* source_call(EventKind k);
// 0-based line index, or -1 when no line matches.
int source_line_for(const std::vector<std::string>& lines, EventKind kind, std::string_view obj);
// The kind a process is blocked in, from its state (Running: nothing known).
bool kind_for_state(ProcState st, EventKind& out);
// Reads a listing file into lines ("" on error, with a message in err).
std::vector<std::string> load_listing(const std::string& path, std::string& err);

}  // namespace mpviz::gui
