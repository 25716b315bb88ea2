// Any file handed to `mpviz gui --open` / `mpviz export`: the loader gives a
// recording or a message, never a crash; what loads saves and reloads
// identically, and exports.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "engine/chrome_export.hpp"
#include "engine/recording.hpp"

using namespace mpviz;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  auto r = parse_jsonl(text);
  if (!r.recording) {
    if (r.error.empty()) std::abort();  // a failure must say why
    return 0;
  }
  std::string saved = to_jsonl(*r.recording);
  auto again = parse_jsonl(saved);
  if (!again.recording || to_jsonl(*again.recording) != saved) std::abort();
  (void)to_chrome_json(*r.recording);
  return 0;
}
