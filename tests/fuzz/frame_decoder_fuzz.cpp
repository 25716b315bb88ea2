// Any bytes on the event pipe: the decoder never crashes, never reads out of
// bounds, and whatever it decodes re-encodes to a frame that decodes the same.
#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include "engine/wire/wire_codec.hpp"

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
  // Payload decoding on its own, in the fixed and the compact encodings;
  // decoding into EventViews (the supervisor's path) must give the same.
  for (uint8_t version : {wire::kVersion, wire::kVersionCompact}) {
    std::vector<Event> p;
    std::vector<EventView> v;
    const bool ok = wire::decode_payload(std::span<const uint8_t>(data, size), p, version);
    const bool ok_v = wire::decode_payload(std::span<const uint8_t>(data, size), v, version);
    if (ok != ok_v || p.size() != v.size()) std::abort();
    for (size_t i = 0; i < p.size(); ++i)
      if (!(v[i].to_event() == p[i]) && p[i].seconds == p[i].seconds) std::abort();
  }
  return 0;
}
