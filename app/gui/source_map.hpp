// Which line of a scenario's Python listing a process is at: a simple map
// from the kind of its current (or pending) operation to the first listing
// line with the matching call (`lock.acquire(`, `time.sleep(`, `q.put(` ...),
// preferring a line that names the operation's object. In Python mode the
// events carry the real source line (Event::line) instead. GUI-free.
#pragma once
#include <string>
#include <string_view>
#include <vector>

#include "engine/wire/event.hpp"
#include "engine/model/sync_state.hpp"

namespace mpviz::gui {

// The call a kind corresponds to ("acquire", "sleep", ...), or nullptr.
const char* source_call(EventKind k);
// 0-based line index, or -1 when no line matches.
int source_line_for(const std::vector<std::string>& lines, EventKind kind, std::string_view obj);
// Of the lines matching (kind, obj) as source_line_for does, the first at or
// after `from` (0-based), wrapping to the first match; -1 when none matches.
// Python mode's guess for a held operation, which has no line yet: the
// process's next call of that kind after the line it was last seen on.
int source_line_after(const std::vector<std::string>& lines, EventKind kind, std::string_view obj,
                      int from);
// Python mode: the 0-based line of process `pid`'s latest operation among
// events [0, end) that carries a line (Event::line, 1-based; process_start is
// the parent's report and does not count), looking back at most `scan_back`
// events; -1 when none does.
int python_line_of(const std::vector<Event>& events, size_t end, int32_t pid, size_t scan_back);
// The kind a process is blocked in, from its state (Running: nothing known).
bool kind_for_state(ProcState st, EventKind& out);
// Reads a listing file into lines ("" on error, with a message in err).
std::vector<std::string> load_listing(const std::string& path, std::string& err);

}  // namespace mpviz::gui
