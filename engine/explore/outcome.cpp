#include "engine/explore/outcome.hpp"

#include <cctype>

#include "engine/model/timeline_model.hpp"

namespace mpviz::explore {

namespace {

// Replaces whole-number tokens that are pids of the run with the name.
std::string without_pids(const std::string& text, const std::map<int32_t, std::string>& names) {
  std::string out;
  for (size_t i = 0; i < text.size();) {
    if (std::isdigit(static_cast<unsigned char>(text[i])) &&
        (i == 0 || !std::isalnum(static_cast<unsigned char>(text[i - 1])))) {
      size_t j = i;
      while (j < text.size() && std::isdigit(static_cast<unsigned char>(text[j]))) ++j;
      bool word_end = j == text.size() || !std::isalnum(static_cast<unsigned char>(text[j]));
      if (word_end && j - i <= 9) {
        auto it = names.find(std::stoi(text.substr(i, j - i)));
        if (it != names.end()) {
          out += "<pid of " + it->second + ">";
          i = j;
          continue;
        }
      }
      out.append(text, i, j - i);
      i = j;
      continue;
    }
    out += text[i++];
  }
  return out;
}

}  // namespace

Outcome outcome_of(const std::string& status, const std::vector<Event>& events) {
  Outcome o;
  o.status = status;
  std::map<int32_t, std::string> names;
  std::map<std::string, int> count;
  for (const auto& e : events)
    if (e.kind == EventKind::process_start && !names.count(e.pid)) {
      int k = ++count[e.name];
      names[e.pid] = k == 1 ? e.name : e.name + "#" + std::to_string(k);
    }
  // A recording whose prints carry their own newlines (exact text, `end`
  // included) is a stream to cut into lines; otherwise each print is a line.
  bool stream = false;
  for (const auto& e : events)
    if (e.kind == EventKind::print && e.text.find('\n') != std::string::npos) stream = true;
  std::string partial;
  for (const auto& e : events) {
    switch (e.kind) {
      case EventKind::print: {
        std::string t = without_pids(e.text, names);
        // Lines are lines: text that ends in a newline closes one.
        partial += t;
        size_t nl;
        while ((nl = partial.find('\n')) != std::string::npos) {
          o.output.push_back(partial.substr(0, nl));
          partial.erase(0, nl + 1);
        }
        if (!stream) {
          o.output.push_back(partial);
          partial.clear();
        }
        break;
      }
      case EventKind::sem_acquire:
      case EventKind::sem_release: o.finals[e.name] = std::to_string(e.value); break;
      case EventKind::process_exit:
        o.exits[names.count(e.pid) ? names[e.pid] : std::to_string(e.pid)] = "exit " + std::to_string(e.value);
        break;
      case EventKind::process_killed:
        o.exits[names.count(e.pid) ? names[e.pid] : std::to_string(e.pid)] =
            "killed by signal " + std::to_string(e.value);
        break;
      case EventKind::value_read:
      case EventKind::value_write: o.finals[value_key(e)] = value_text(e); break;  // the last one wins
      default: break;
    }
  }
  if (!partial.empty()) o.output.push_back(partial);
  if (status == "deadlock" || status == "stopped") {
    // The stop's kills say nothing about the program; keep only real exits.
    for (auto it = o.exits.begin(); it != o.exits.end();)
      it = it->second.rfind("killed", 0) == 0 ? o.exits.erase(it) : std::next(it);
  }
  return o;
}

}  // namespace mpviz::explore
