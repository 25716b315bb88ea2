#include "engine/wire_codec.hpp"

#include <algorithm>
#include <array>
#include <cstring>
#if defined(__x86_64__)
#include <nmmintrin.h>
#endif

namespace mpviz::wire {
namespace {

constexpr uint8_t kMagic[4] = {'M', 'P', 'V', 'Z'};

// CRC-32 (IEEE, as zlib), slice-by-8: eight bytes per step. The checksum
// was 40% of the reader's time with the byte-at-a-time table.
using CrcTables = std::array<std::array<uint32_t, 256>, 8>;
constexpr CrcTables make_crc_tables(uint32_t poly) {
  CrcTables t{};
  for (uint32_t i = 0; i < 256; ++i) {
    uint32_t c = i;
    for (int k = 0; k < 8; ++k) c = (c & 1) ? poly ^ (c >> 1) : c >> 1;
    t[0][i] = c;
  }
  for (uint32_t i = 0; i < 256; ++i)
    for (int s = 1; s < 8; ++s) t[s][i] = (t[s - 1][i] >> 8) ^ t[0][t[s - 1][i] & 0xFF];
  return t;
}
constexpr CrcTables kCrc = make_crc_tables(0xEDB88320u);   // CRC-32 (IEEE)
constexpr CrcTables kCrcC = make_crc_tables(0x82F63B78u);  // CRC-32C (Castagnoli)

uint32_t crc_sliced(const CrcTables& t, const uint8_t* data, size_t n) {
  uint32_t c = 0xFFFFFFFFu;
  while (n >= 8) {
    uint32_t lo, hi;
    std::memcpy(&lo, data, 4);  // little-endian host
    std::memcpy(&hi, data + 4, 4);
    lo ^= c;
    c = t[7][lo & 0xFF] ^ t[6][(lo >> 8) & 0xFF] ^ t[5][(lo >> 16) & 0xFF] ^ t[4][lo >> 24] ^
        t[3][hi & 0xFF] ^ t[2][(hi >> 8) & 0xFF] ^ t[1][(hi >> 16) & 0xFF] ^ t[0][hi >> 24];
    data += 8;
    n -= 8;
  }
  while (n--) c = t[0][(c ^ *data++) & 0xFF] ^ (c >> 8);
  return c ^ 0xFFFFFFFFu;
}

#if defined(__x86_64__)
__attribute__((target("sse4.2"))) uint32_t crc32c_sse42(const uint8_t* data, size_t n) {
  uint64_t c = 0xFFFFFFFFu;
  while (n >= 8) {
    uint64_t v;
    std::memcpy(&v, data, 8);
    c = _mm_crc32_u64(c, v);
    data += 8;
    n -= 8;
  }
  auto c32 = static_cast<uint32_t>(c);
  while (n--) c32 = _mm_crc32_u8(c32, *data++);
  return c32 ^ 0xFFFFFFFFu;
}
// Decided once, before main (fill_header runs in signal handlers: no lazy
// initialisation there).
const bool kHasSse42 = [] {
  __builtin_cpu_init();
  return __builtin_cpu_supports("sse4.2") != 0;
}();
#endif

void put_bytes(std::vector<uint8_t>& b, const void* p, size_t n) {
  if (n == 0) return;
  size_t at = b.size();
  b.resize(at + n);
  std::memcpy(b.data() + at, p, n);
}

template <typename T>
void put(std::vector<uint8_t>& b, T v) {
  put_bytes(b, &v, sizeof(T));  // little-endian host; both ends are this machine
}

class Reader {
 public:
  explicit Reader(std::span<const uint8_t> d) : d_(d) {}
  template <typename T>
  bool get(T& v) {
    if (d_.size() - pos_ < sizeof(T)) return false;
    std::memcpy(&v, d_.data() + pos_, sizeof(T));
    pos_ += sizeof(T);
    return true;
  }
  bool get_string(std::string& s) {
    uint16_t n = 0;
    if (!get(n) || n > kMaxStringField || d_.size() - pos_ < n) return false;
    s.assign(reinterpret_cast<const char*>(d_.data() + pos_), n);
    pos_ += n;
    return true;
  }
  bool done() const { return pos_ == d_.size(); }

 private:
  std::span<const uint8_t> d_;
  size_t pos_ = 0;
};

uint16_t read_u16(const uint8_t* p) { uint16_t v; std::memcpy(&v, p, 2); return v; }
uint32_t read_u32(const uint8_t* p) { uint32_t v; std::memcpy(&v, p, 4); return v; }

}  // namespace

uint32_t crc32(const uint8_t* data, size_t n) { return crc_sliced(kCrc, data, n); }

uint32_t crc32c(const uint8_t* data, size_t n) {
#if defined(__x86_64__)
  if (kHasSse42) return crc32c_sse42(data, n);
#endif
  return crc_sliced(kCrcC, data, n);
}

bool append_event(std::vector<uint8_t>& payload, const Event& e) {
  // One size check, one resize and straight copies: this runs for every event
  // a child emits (put_bytes per field cost a resize and a memset each).
  const size_t nn = std::min(e.name.size(), kMaxStringField);
  const size_t tn = std::min(e.text.size(), kMaxStringField);
  const size_t need = kFixedEventBytes + 2 + nn + 2 + tn;
  const size_t before = payload.size();
  if (before + need > kMaxPayload) return false;
  payload.resize(before + need);
  uint8_t* p = payload.data() + before;
  auto put_raw = [&p](const void* v, size_t n) {
    std::memcpy(p, v, n);  // little-endian host; both ends are this machine
    p += n;
  };
  const uint8_t kind = static_cast<uint8_t>(e.kind);
  const uint16_t n16 = static_cast<uint16_t>(nn), t16 = static_cast<uint16_t>(tn);
  put_raw(&kind, 1);
  put_raw(&e.flags, 1);
  put_raw(&e.pid, 4);
  put_raw(&e.t_ns, 8);
  put_raw(&e.other, 4);
  put_raw(&e.value, 8);
  put_raw(&e.limit, 8);
  put_raw(&e.seconds, 8);
  put_raw(&e.line, 4);
  put_raw(&n16, 2);
  put_raw(e.name.data(), nn);
  put_raw(&t16, 2);
  put_raw(e.text.data(), tn);
  return true;
}

void fill_header(uint8_t* out, const uint8_t* payload, size_t n) {
  std::memcpy(out, kMagic, 4);
  out[4] = kVersionCrc32c;
  out[5] = 0;
  uint16_t len = static_cast<uint16_t>(n);
  std::memcpy(out + 6, &len, 2);
  uint32_t c = crc32c(payload, n);
  std::memcpy(out + 8, &c, 4);
}

std::vector<uint8_t> make_frame(std::span<const uint8_t> payload) {
  std::vector<uint8_t> f;
  f.reserve(kHeaderSize + payload.size());
  put_bytes(f, kMagic, 4);
  put<uint8_t>(f, kVersionCrc32c);
  put<uint8_t>(f, 0);
  put<uint16_t>(f, static_cast<uint16_t>(payload.size()));
  put<uint32_t>(f, crc32c(payload.data(), payload.size()));
  put_bytes(f, payload.data(), payload.size());
  return f;
}

std::vector<uint8_t> encode_single(const Event& e) {
  std::vector<uint8_t> payload;
  if (!append_event(payload, e)) return {};
  return make_frame(payload);
}

bool decode_payload(std::span<const uint8_t> payload, std::vector<Event>& out) {
  // Decodes straight into `out`; a malformed payload takes back what it added.
  const size_t before = out.size();
  Reader r(payload);
  while (!r.done()) {
    Event& e = out.emplace_back();
    uint8_t kind = 0;
    bool ok = r.get(kind) && kind != 0 && kind <= kEventKindCount;
    if (ok) {
      e.kind = static_cast<EventKind>(kind);
      ok = r.get(e.flags) && r.get(e.pid) && r.get(e.t_ns) && r.get(e.other) && r.get(e.value) &&
           r.get(e.limit) && r.get(e.seconds) && r.get(e.line) && r.get_string(e.name) &&
           r.get_string(e.text);
    }
    if (!ok) {
      out.resize(before);
      return false;
    }
  }
  return out.size() > before;
}

void FrameDecoder::feed(std::span<const uint8_t> bytes, std::vector<Event>& out) {
  buf_.insert(buf_.end(), bytes.begin(), bytes.end());
  drain(out);
  // Compact rarely: only when the consumed prefix is most of the buffer, so
  // a stream of whole frames costs no memmove per read.
  if (start_ == buf_.size()) {
    buf_.clear();
    start_ = 0;
  } else if (start_ > 0 && start_ >= buf_.size() / 2) {
    buf_.erase(buf_.begin(), buf_.begin() + static_cast<std::ptrdiff_t>(start_));
    start_ = 0;
  }
}

void FrameDecoder::drain(std::vector<Event>& out) {
  while (buf_.size() - start_ >= 4) {
    const uint8_t* p = buf_.data() + start_;
    size_t avail = buf_.size() - start_;
    if (std::memcmp(p, kMagic, 4) != 0) {
      // Skip to the next possible magic start.
      ++start_;
      ++stats_.dropped_bytes;
      if (!in_garbage_) { in_garbage_ = true; ++stats_.dropped_frames; }
      continue;
    }
    if (avail < kHeaderSize) return;  // wait for the rest of the header
    uint16_t len = read_u16(p + 6);
    const uint8_t version = p[4];
    if ((version != kVersion && version != kVersionCrc32c) || len == 0 || len > kMaxPayload) {
      ++start_;
      ++stats_.dropped_bytes;
      if (!in_garbage_) { in_garbage_ = true; ++stats_.dropped_frames; }
      continue;
    }
    if (avail < kHeaderSize + len) return;  // wait for the rest of the frame
    std::span<const uint8_t> payload(p + kHeaderSize, len);
    size_t before = out.size();
    const uint32_t sum = version == kVersionCrc32c ? crc32c(payload.data(), len)
                                                   : crc32(payload.data(), len);
    if (sum != read_u32(p + 8) || !decode_payload(payload, out)) {
      ++start_;
      ++stats_.dropped_bytes;
      if (!in_garbage_) { in_garbage_ = true; ++stats_.dropped_frames; }
      continue;
    }
    in_garbage_ = false;
    ++stats_.frames;
    stats_.events += out.size() - before;
    start_ += kHeaderSize + len;
  }
}

void FrameDecoder::finish() {
  if (buf_.size() > start_) {
    stats_.dropped_bytes += buf_.size() - start_;
    if (!in_garbage_) ++stats_.dropped_frames;
  }
  buf_.clear();
  start_ = 0;
  in_garbage_ = false;
}

}  // namespace mpviz::wire
