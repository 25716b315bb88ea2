#include "app/gui/source_map.hpp"

#include <algorithm>
#include <fstream>

namespace mpviz::gui {

const char* source_call(EventKind k) {
  switch (k) {
    case EventKind::lock_wait:
    case EventKind::lock_acquire:
    case EventKind::sem_wait:
    case EventKind::sem_acquire: return "acquire";
    case EventKind::lock_release:
    case EventKind::sem_release: return "release";
    case EventKind::sleep_begin:
    case EventKind::sleep_end: return "sleep";
    case EventKind::print: return "print";
    case EventKind::queue_put_wait:
    case EventKind::queue_put: return "put";
    case EventKind::queue_get_wait:
    case EventKind::queue_get: return "get";
    case EventKind::pipe_send: return "send";
    case EventKind::pipe_recv_wait:
    case EventKind::pipe_recv: return "recv";
    case EventKind::join_begin:
    case EventKind::join_end: return "join";
    case EventKind::process_start: return "start";
    case EventKind::pool_submit: return "apply_async";
    default: return nullptr;
  }
}

namespace {

bool is_comment(const std::string& line) {
  size_t a = line.find_first_not_of(" \t");
  return a == std::string::npos || line[a] == '#';
}

// Does `line` call `call(` (as a function or a method, not as part of a
// longer name such as `get_nowait(` or `forget(`)?
bool calls(const std::string& line, std::string_view call) {
  std::string pat(call);
  pat += '(';
  for (size_t at = line.find(pat); at != std::string::npos; at = line.find(pat, at + 1)) {
    if (at == 0) return true;
    char c = line[at - 1];
    if (c == '.' || c == ' ' || c == '(' || c == '\t' || c == '=' || c == ',') return true;
  }
  return false;
}

}  // namespace

int source_line_for(const std::vector<std::string>& lines, EventKind kind, std::string_view obj) {
  const char* call = source_call(kind);
  if (!call) return -1;
  int first = -1;
  std::string with_obj;
  if (!obj.empty()) {
    with_obj.assign(obj);
    with_obj += '.';
    with_obj += call;
    with_obj += '(';
  }
  for (size_t i = 0; i < lines.size(); ++i) {
    const std::string& l = lines[i];
    if (is_comment(l) || !calls(l, call)) continue;
    if (!with_obj.empty() && l.find(with_obj) != std::string::npos) return static_cast<int>(i);
    if (first < 0) first = static_cast<int>(i);
  }
  return first;
}

int source_line_after(const std::vector<std::string>& lines, EventKind kind, std::string_view obj,
                      int from) {
  const char* call = source_call(kind);
  if (!call) return -1;
  std::string with_obj;
  if (!obj.empty()) with_obj = std::string(obj) + '.' + call + '(';
  // Two passes: lines naming the object first, then any call of the kind.
  for (int pass = 0; pass < 2; ++pass) {
    if (pass == 0 && with_obj.empty()) continue;
    int first = -1;
    for (size_t i = 0; i < lines.size(); ++i) {
      const std::string& l = lines[i];
      if (is_comment(l) || !calls(l, call)) continue;
      if (pass == 0 && l.find(with_obj) == std::string::npos) continue;
      if (static_cast<int>(i) >= from) return static_cast<int>(i);
      if (first < 0) first = static_cast<int>(i);
    }
    if (first >= 0) return first;
  }
  return -1;
}

int python_line_of(const std::vector<Event>& events, size_t end, int32_t pid, size_t scan_back) {
  end = std::min(end, events.size());
  for (size_t i = end, n = 0; i-- > 0 && n < scan_back; ++n) {
    const Event& e = events[i];
    if (e.pid != pid || e.line <= 0 || e.kind == EventKind::process_start) continue;
    return e.line - 1;
  }
  return -1;
}

bool kind_for_state(ProcState st, EventKind& out) {
  switch (st) {
    case ProcState::Sleeping: out = EventKind::sleep_begin; return true;
    case ProcState::WaitingLock: out = EventKind::lock_wait; return true;
    case ProcState::WaitingSemaphore: out = EventKind::sem_wait; return true;
    case ProcState::WaitingPut: out = EventKind::queue_put_wait; return true;
    case ProcState::WaitingGet: out = EventKind::queue_get_wait; return true;
    case ProcState::WaitingRecv: out = EventKind::pipe_recv_wait; return true;
    case ProcState::Joining: out = EventKind::join_begin; return true;
    default: return false;
  }
}

std::vector<std::string> load_listing(const std::string& path, std::string& err) {
  std::vector<std::string> lines;
  std::ifstream f(path);
  if (!f) {
    err = "cannot read " + path;
    return lines;
  }
  err.clear();
  std::string line;
  while (std::getline(f, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    lines.push_back(line);
  }
  return lines;
}

}  // namespace mpviz::gui
