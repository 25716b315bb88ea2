#include "engine/wire/wire_codec.hpp"

#include <algorithm>
#include <array>
#include <cstring>
#include <limits>
#include <type_traits>
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
  template <typename S>
  bool get_string(S& s) {
    uint16_t n = 0;
    if (!get(n) || n > kMaxStringField || d_.size() - pos_ < n) return false;
    s = S(reinterpret_cast<const char*>(d_.data() + pos_), n);
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

bool append_event_fixed(std::vector<uint8_t>& payload, const Event& e) {
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

namespace {
enum CompactField : uint8_t {
  kHasPid = 1 << 0,
  kHasOther = 1 << 1,
  kHasValue = 1 << 2,
  kHasLimit = 1 << 3,
  kHasSeconds = 1 << 4,
  kHasLine = 1 << 5,
  kHasName = 1 << 6,
  kHasText = 1 << 7,
};
uint64_t zigzag(int64_t v) { return (static_cast<uint64_t>(v) << 1) ^ static_cast<uint64_t>(v >> 63); }
int64_t unzigzag(uint64_t u) { return static_cast<int64_t>(u >> 1) ^ -static_cast<int64_t>(u & 1); }

uint8_t* put_varint(uint8_t* p, uint64_t v) {
  while (v >= 0x80) {
    *p++ = static_cast<uint8_t>(v | 0x80);
    v >>= 7;
  }
  *p++ = static_cast<uint8_t>(v);
  return p;
}

bool get_varint(const uint8_t*& p, const uint8_t* end, uint64_t& v) {
  v = 0;
  for (int shift = 0; shift < 64; shift += 7) {
    if (p == end) return false;
    const uint8_t b = *p++;
    v |= static_cast<uint64_t>(b & 0x7F) << shift;
    if (!(b & 0x80)) return true;
  }
  return false;  // more than 10 bytes
}

bool nonzero_bits(double d) {
  uint64_t u;
  std::memcpy(&u, &d, 8);
  return u != 0;  // -0.0 is kept too
}

size_t varint_size(uint64_t v) { return (static_cast<size_t>(64 - __builtin_clzll(v | 1)) + 6) / 7; }
}  // namespace

bool append_event(std::vector<uint8_t>& payload, const Event& e) {
  // Sizes first (to refuse what does not fit), then straight writes into a
  // stack buffer appended with one insert: this runs for every event a child
  // emits, and a resize() would zero-fill with a slow `rep stos` first.
  const size_t nn = std::min(e.name.size(), kMaxStringField);
  const size_t tn = std::min(e.text.size(), kMaxStringField);
  const size_t before = payload.size();
  const bool first = before == 0;
  int64_t base_t = e.t_ns;
  int32_t base_pid = e.pid;
  if (!first) {
    std::memcpy(&base_t, payload.data(), 8);
    std::memcpy(&base_pid, payload.data() + 8, 4);
  }
  const uint64_t dt =
      zigzag(static_cast<int64_t>(static_cast<uint64_t>(e.t_ns) - static_cast<uint64_t>(base_t)));
  uint8_t mask = 0;
  size_t need = (first ? kCompactBaseBytes : 0) + 3 + varint_size(dt);
  auto field = [&](bool present, uint8_t bit, size_t bytes) {
    if (!present) return;
    mask |= bit;
    need += bytes;
  };
  field(e.pid != base_pid, kHasPid, varint_size(zigzag(e.pid)));
  field(e.other != 0, kHasOther, varint_size(zigzag(e.other)));
  field(e.value != 0, kHasValue, varint_size(zigzag(e.value)));
  field(e.limit != 0, kHasLimit, varint_size(zigzag(e.limit)));
  field(nonzero_bits(e.seconds), kHasSeconds, 8);
  field(e.line != 0, kHasLine, varint_size(zigzag(e.line)));
  field(nn != 0, kHasName, varint_size(nn) + nn);
  field(tn != 0, kHasText, varint_size(tn) + tn);
  if (before + need > kMaxPayload) return false;
  uint8_t buf[kMaxPayload];
  uint8_t* p = buf;
  if (first) {
    std::memcpy(p, &base_t, 8);
    std::memcpy(p + 8, &base_pid, 4);
    p += kCompactBaseBytes;
  }
  *p++ = static_cast<uint8_t>(e.kind);
  *p++ = e.flags;
  *p++ = mask;
  p = put_varint(p, dt);
  if (mask & kHasPid) p = put_varint(p, zigzag(e.pid));
  if (mask & kHasOther) p = put_varint(p, zigzag(e.other));
  if (mask & kHasValue) p = put_varint(p, zigzag(e.value));
  if (mask & kHasLimit) p = put_varint(p, zigzag(e.limit));
  if (mask & kHasSeconds) {
    std::memcpy(p, &e.seconds, 8);
    p += 8;
  }
  if (mask & kHasLine) p = put_varint(p, zigzag(e.line));
  if (mask & kHasName) {
    p = put_varint(p, nn);
    std::memcpy(p, e.name.data(), nn);
    p += nn;
  }
  if (mask & kHasText) {
    p = put_varint(p, tn);
    std::memcpy(p, e.text.data(), tn);
    p += tn;
  }
  payload.insert(payload.end(), buf, p);
  return true;
}

namespace {
// E is Event (strings copied) or EventView (strings viewed in the payload).
template <typename E>
bool decode_compact(std::span<const uint8_t> payload, std::vector<E>& out) {
  if (payload.size() <= kCompactBaseBytes) return false;
  int64_t base_t;
  int32_t base_pid;
  std::memcpy(&base_t, payload.data(), 8);
  std::memcpy(&base_pid, payload.data() + 8, 4);
  const uint8_t* p = payload.data() + kCompactBaseBytes;
  const uint8_t* const end = payload.data() + payload.size();
  auto get_int = [&](auto& field) {
    uint64_t u;
    if (!get_varint(p, end, u)) return false;
    const int64_t v = unzigzag(u);
    using T = std::remove_reference_t<decltype(field)>;
    if (v < std::numeric_limits<T>::min() || v > std::numeric_limits<T>::max()) return false;
    field = static_cast<T>(v);
    return true;
  };
  auto get_str = [&](auto& s) {
    uint64_t n;
    if (!get_varint(p, end, n) || n == 0 || n > kMaxStringField ||
        n > static_cast<uint64_t>(end - p))
      return false;
    s = std::remove_reference_t<decltype(s)>(reinterpret_cast<const char*>(p), n);
    p += n;
    return true;
  };
  while (p != end) {
    if (end - p < 4) return false;
    const uint8_t kind = p[0];
    if (kind == 0 || kind > kEventKindCount) return false;
    E& e = out.emplace_back();
    e.kind = static_cast<EventKind>(kind);
    e.flags = p[1];
    const uint8_t mask = p[2];
    p += 3;
    uint64_t dt;
    if (!get_varint(p, end, dt)) return false;
    e.t_ns = static_cast<int64_t>(static_cast<uint64_t>(base_t) + static_cast<uint64_t>(unzigzag(dt)));
    e.pid = base_pid;
    bool ok = (!(mask & kHasPid) || get_int(e.pid)) && (!(mask & kHasOther) || get_int(e.other)) &&
              (!(mask & kHasValue) || get_int(e.value)) && (!(mask & kHasLimit) || get_int(e.limit));
    if (ok && (mask & kHasSeconds)) {
      if (end - p < 8) return false;
      std::memcpy(&e.seconds, p, 8);
      p += 8;
    }
    ok = ok && (!(mask & kHasLine) || get_int(e.line)) && (!(mask & kHasName) || get_str(e.name)) &&
         (!(mask & kHasText) || get_str(e.text));
    if (!ok) return false;
  }
  return true;
}
}  // namespace

void fill_header(uint8_t* out, const uint8_t* payload, size_t n) {
  std::memcpy(out, kMagic, 4);
  out[4] = kVersionCompact;
  out[5] = 0;
  uint16_t len = static_cast<uint16_t>(n);
  std::memcpy(out + 6, &len, 2);
  uint32_t c = crc32c(payload, n);
  std::memcpy(out + 8, &c, 4);
}

std::vector<uint8_t> make_frame(std::span<const uint8_t> payload, uint8_t version) {
  std::vector<uint8_t> f;
  f.reserve(kHeaderSize + payload.size());
  put_bytes(f, kMagic, 4);
  put<uint8_t>(f, version);
  put<uint8_t>(f, 0);
  put<uint16_t>(f, static_cast<uint16_t>(payload.size()));
  put<uint32_t>(f, version == kVersion ? crc32(payload.data(), payload.size())
                                       : crc32c(payload.data(), payload.size()));
  put_bytes(f, payload.data(), payload.size());
  return f;
}

std::vector<uint8_t> encode_single(const Event& e) {
  std::vector<uint8_t> payload;
  if (!append_event(payload, e)) return {};
  return make_frame(payload);
}

namespace {
template <typename E>
bool decode_any(std::span<const uint8_t> payload, std::vector<E>& out, uint8_t version) {
  // Decodes straight into `out`; a malformed payload takes back what it added.
  const size_t before = out.size();
  if (version == kVersionCompact) {
    if (!decode_compact(payload, out)) {
      out.resize(before);
      return false;
    }
    return out.size() > before;
  }
  Reader r(payload);
  while (!r.done()) {
    E& e = out.emplace_back();
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
}  // namespace

bool decode_payload(std::span<const uint8_t> payload, std::vector<Event>& out, uint8_t version) {
  return decode_any(payload, out, version);
}

bool decode_payload(std::span<const uint8_t> payload, std::vector<EventView>& out,
                    uint8_t version) {
  return decode_any(payload, out, version);
}

void FrameDecoder::take(std::span<const uint8_t> bytes) {
  // What the previous feed consumed goes now, not at its end: EventViews it
  // handed out point into buf_ until this call. Compact rarely: only when
  // the consumed prefix is most of the buffer, so a stream of whole frames
  // costs no memmove per read.
  if (start_ == buf_.size()) {
    buf_.clear();
    start_ = 0;
  } else if (start_ > 0 && start_ >= buf_.size() / 2) {
    buf_.erase(buf_.begin(), buf_.begin() + static_cast<std::ptrdiff_t>(start_));
    start_ = 0;
  }
  buf_.insert(buf_.end(), bytes.begin(), bytes.end());
}

void FrameDecoder::feed(std::span<const uint8_t> bytes, std::vector<Event>& out) {
  take(bytes);
  drain(out);
}

void FrameDecoder::feed(std::span<const uint8_t> bytes, std::vector<EventView>& out) {
  take(bytes);
  drain(out);
}

template <typename E>
void FrameDecoder::drain(std::vector<E>& out) {
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
    if (version < kVersion || version > kVersionCompact || len == 0 || len > kMaxPayload) {
      ++start_;
      ++stats_.dropped_bytes;
      if (!in_garbage_) { in_garbage_ = true; ++stats_.dropped_frames; }
      continue;
    }
    if (avail < kHeaderSize + len) return;  // wait for the rest of the frame
    std::span<const uint8_t> payload(p + kHeaderSize, len);
    size_t before = out.size();
    const uint32_t sum = version == kVersion ? crc32(payload.data(), len)
                                             : crc32c(payload.data(), len);
    if (sum != read_u32(p + 8) || !decode_any(payload, out, version)) {
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
