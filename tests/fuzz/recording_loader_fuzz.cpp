// Any file handed to `mpviz gui --open` / `mpviz export`: the loader gives a
// recording or a message, never a crash; what loads saves and reloads
// identically, and exports.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "engine/recording/chrome_export.hpp"
#include "engine/recording/recording.hpp"

using namespace mpviz;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  auto r = parse_jsonl(text);
  // The fast line parser must agree with the nlohmann-only reference: same
  // events, same error, same warning.
  auto ref = detail::parse_jsonl_reference(text);
  if (r.error != ref.error || r.warning != ref.warning || r.recording.has_value() != ref.recording.has_value())
    std::abort();
  if (r.recording && (r.recording->events != ref.recording->events ||
                      to_jsonl(*r.recording) != to_jsonl(*ref.recording)))
    std::abort();
  if (!r.recording) {
    if (r.error.empty()) std::abort();  // a failure must say why
    return 0;
  }
  // The hand-written writer must write what nlohmann writes.
  for (const auto& e : r.recording->events)
    if (event_to_json_line(e) != detail::event_to_json_line_reference(e)) std::abort();
  std::string saved = to_jsonl(*r.recording);
  auto again = parse_jsonl(saved);
  if (!again.recording || to_jsonl(*again.recording) != saved) std::abort();
  if (to_chrome_json(*r.recording) != detail::to_chrome_json_reference(*r.recording)) std::abort();
  return 0;
}
