// Any bytes on the event pipe: the decoder never crashes, never reads out of
// bounds, and whatever it decodes re-encodes to a frame that decodes the same.
#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include "engine/wire_codec.hpp"

using namespace mpviz;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  wire::FrameDecoder d;
  std::vector<Event> out;
  // Feed in two uneven pieces to exercise partial frames.
  size_t cut = size ? data[0] % (size + 1) : 0;
  d.feed(std::span<const uint8_t>(data, cut), out);
  d.feed(std::span<const uint8_t>(data + cut, size - cut), out);
  d.finish();
  for (const auto& e : out) {
    auto f = wire::encode_single(e);
    wire::FrameDecoder d2;
    std::vector<Event> again;
    d2.feed(f, again);
    if (again.size() != 1 || !(again[0] == e)) {
      // NaN seconds never compare equal; anything else is a bug.
      if (!(again.size() == 1 && e.seconds != e.seconds)) std::abort();
    }
  }
  // Payload decoding on its own, too.
  std::vector<Event> p;
  wire::decode_payload(std::span<const uint8_t>(data, size), p);
  return 0;
}
