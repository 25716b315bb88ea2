// The event pipe's frames: round trip, garbage, torn tails, and many real
// writer processes sharing one real pipe.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmath>
#include <cstring>
#include <climits>
#include <map>
#include <random>

#include "engine/wire/wire_codec.hpp"

using namespace mpviz;

namespace {

Event sample(int i) {
  Event e;
  e.kind = static_cast<EventKind>(1 + i % kEventKindCount);
  e.pid = 1000 + i;
  e.t_ns = 123456789LL * i;
  e.flags = static_cast<uint8_t>(i & 0x1f);
  e.other = -i;
  e.value = i * 7;
  e.limit = 10;
  e.seconds = 0.25 * i;
  e.line = i % 300;
  e.name = "obj" + std::to_string(i);
  e.text = std::string(static_cast<size_t>(i % 50), 'x') + "中文";
  return e;
}

std::vector<Event> decode_all(const std::vector<uint8_t>& bytes, wire::FrameDecoder& d) {
  std::vector<Event> out;
  d.feed(bytes, out);
  return out;
}

}  // namespace

TEST(WireCodec, RoundTripOneEventPerFrame) {
  wire::FrameDecoder d;
  std::vector<uint8_t> stream;
  for (int i = 0; i < 100; ++i) {
    auto f = wire::encode_single(sample(i));
    ASSERT_FALSE(f.empty());
    ASSERT_LE(f.size(), wire::kMaxFrame);
    stream.insert(stream.end(), f.begin(), f.end());
  }
  auto out = decode_all(stream, d);
  ASSERT_EQ(out.size(), 100u);
  for (int i = 0; i < 100; ++i) EXPECT_EQ(out[i], sample(i)) << i;
  EXPECT_EQ(d.stats().dropped_frames, 0u);
  EXPECT_EQ(d.stats().events, 100u);
}

TEST(WireCodec, ManyEventsPerFrameStayUnderPipeBuf) {
  std::vector<uint8_t> payload;
  int n = 0;
  while (wire::append_event(payload, sample(n))) ++n;
  EXPECT_GT(n, 5);
  auto f = wire::make_frame(payload);
  EXPECT_LE(f.size(), wire::kMaxFrame);
  wire::FrameDecoder d;
  auto out = decode_all(f, d);
  ASSERT_EQ(static_cast<int>(out.size()), n);
  EXPECT_EQ(out.back(), sample(n - 1));
}

TEST(WireCodec, ByteAtATimeFeeding) {
  wire::FrameDecoder d;
  std::vector<Event> out;
  for (int i = 0; i < 10; ++i) {
    auto f = wire::encode_single(sample(i));
    for (uint8_t b : f) d.feed(std::span<const uint8_t>(&b, 1), out);
  }
  ASSERT_EQ(out.size(), 10u);
  EXPECT_EQ(out[9], sample(9));
}

TEST(WireCodec, ResynchronisesAfterGarbage) {
  wire::FrameDecoder d;
  std::vector<uint8_t> stream;
  std::mt19937 rng(42);
  for (int i = 0; i < 50; ++i) {
    for (int g = 0; g < 37; ++g) stream.push_back(static_cast<uint8_t>(rng()));
    if (i % 7 == 0) {  // garbage that looks like the start of a frame
      const char* fake = "MPVZ\x01\x00\x10\x00";
      stream.insert(stream.end(), fake, fake + 8);
    }
    auto f = wire::encode_single(sample(i));
    stream.insert(stream.end(), f.begin(), f.end());
  }
  auto out = decode_all(stream, d);
  ASSERT_EQ(out.size(), 50u);
  for (int i = 0; i < 50; ++i) EXPECT_EQ(out[i], sample(i));
  EXPECT_GE(d.stats().dropped_frames, 50u);
  EXPECT_GE(d.stats().dropped_bytes, 50u * 37);
}

TEST(WireCodec, CorruptedPayloadIsDroppedNotDecoded) {
  auto good1 = wire::encode_single(sample(1));
  auto bad = wire::encode_single(sample(2));
  bad[wire::kHeaderSize + 5] ^= 0x40;  // flip a bit: checksum mismatch
  auto good3 = wire::encode_single(sample(3));
  std::vector<uint8_t> stream;
  for (auto* f : {&good1, &bad, &good3}) stream.insert(stream.end(), f->begin(), f->end());
  wire::FrameDecoder d;
  auto out = decode_all(stream, d);
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(out[0], sample(1));
  EXPECT_EQ(out[1], sample(3));
  EXPECT_EQ(d.stats().dropped_frames, 1u);
}

TEST(WireCodec, TornTailIsCountedAtEnd) {
  auto f1 = wire::encode_single(sample(1));
  auto f2 = wire::encode_single(sample(2));
  std::vector<uint8_t> stream(f1);
  stream.insert(stream.end(), f2.begin(), f2.begin() + static_cast<long>(f2.size() / 2));
  wire::FrameDecoder d;
  auto out = decode_all(stream, d);
  EXPECT_EQ(out.size(), 1u);
  EXPECT_EQ(d.stats().dropped_frames, 0u);
  d.finish();
  EXPECT_EQ(d.stats().dropped_frames, 1u);
  EXPECT_EQ(d.stats().dropped_bytes, f2.size() / 2);
}

TEST(WireCodec, LongStringsAreCutToFit) {
  Event e = sample(3);
  e.text = std::string(10000, 'a');
  std::vector<uint8_t> payload;
  ASSERT_TRUE(wire::append_event(payload, e));
  std::vector<Event> out;
  ASSERT_TRUE(wire::decode_payload(payload, out));
  EXPECT_EQ(out[0].text.size(), wire::kMaxStringField);
}

TEST(WireCodec, RejectsUnknownKindAndVersion) {
  Event e = sample(1);
  auto f = wire::encode_single(e);
  auto wrong_version = f;
  wrong_version[4] = 4;  // 1, 2 and 3 exist
  wire::FrameDecoder d;
  EXPECT_TRUE(decode_all(wrong_version, d).empty());
  std::vector<uint8_t> payload = {200, 0};
  std::vector<Event> out;
  EXPECT_FALSE(wire::decode_payload(payload, out));
}

// Real processes, one real pipe: frames never interleave.
TEST(WireCodec, ManyWritersOnOneRealPipe) {
  int fds[2];
  ASSERT_EQ(pipe(fds), 0);
  constexpr int kWriters = 6, kPerWriter = 3000;
  std::vector<pid_t> kids;
  for (int w = 0; w < kWriters; ++w) {
    pid_t pid = fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
      close(fds[0]);
      for (int i = 0; i < kPerWriter; ++i) {
        // Several events per frame, different sizes, each frame one write().
        std::vector<uint8_t> payload;
        Event e = sample(i);
        e.pid = w;
        e.value = i;
        wire::append_event(payload, e);
        if (i % 3 == 0) {
          e.text = std::string(static_cast<size_t>(1000 + i % 400), 'y');
          wire::append_event(payload, e);
        }
        auto f = wire::make_frame(payload);
        if (write(fds[1], f.data(), f.size()) != static_cast<ssize_t>(f.size())) _exit(3);
      }
      _exit(0);
    }
    kids.push_back(pid);
  }
  close(fds[1]);
  wire::FrameDecoder d;
  std::vector<Event> out;
  std::vector<uint8_t> buf(65536);
  for (;;) {
    ssize_t n = read(fds[0], buf.data(), buf.size());
    if (n <= 0) break;
    d.feed(std::span<const uint8_t>(buf.data(), static_cast<size_t>(n)), out);
  }
  d.finish();
  close(fds[0]);
  for (pid_t p : kids) {
    int st = 0;
    ASSERT_EQ(waitpid(p, &st, 0), p);
    EXPECT_TRUE(WIFEXITED(st) && WEXITSTATUS(st) == 0);
  }
  EXPECT_EQ(d.stats().dropped_frames, 0u);
  EXPECT_EQ(d.stats().dropped_bytes, 0u);
  std::map<int, std::vector<int64_t>> per_writer;
  for (const auto& e : out) per_writer[e.pid].push_back(e.value);
  ASSERT_EQ(per_writer.size(), static_cast<size_t>(kWriters));
  for (auto& [w, vals] : per_writer) {
    // Per writer: every event, in order (a pipe keeps each writer's order).
    std::vector<int64_t> expect;
    for (int i = 0; i < kPerWriter; ++i) {
      expect.push_back(i);
      if (i % 3 == 0) expect.push_back(i);
    }
    EXPECT_EQ(vals, expect) << "writer " << w;
  }
}

// Both checksums, against their bitwise definitions at every length and an
// odd alignment, and against their standard check values.
uint32_t bitwise_crc(uint32_t poly, const uint8_t* data, size_t len) {
  uint32_t c = 0xFFFFFFFFu;
  for (size_t i = 0; i < len; ++i) {
    c ^= data[i];
    for (int k = 0; k < 8; ++k) c = (c & 1) ? poly ^ (c >> 1) : c >> 1;
  }
  return c ^ 0xFFFFFFFFu;
}

TEST(WireCodec, Crc32AndCrc32cMatchTheirDefinitions) {
  const auto* s = reinterpret_cast<const uint8_t*>("123456789");
  EXPECT_EQ(wire::crc32(s, 9), 0xCBF43926u);
  EXPECT_EQ(wire::crc32c(s, 9), 0xE3069283u);  // hardware or table
  std::vector<uint8_t> big(1000);
  for (size_t i = 0; i < big.size(); ++i) big[i] = static_cast<uint8_t>(i * 31 + 7);
  for (size_t len : {0, 1, 7, 8, 9, 63, 64, 999}) {
    EXPECT_EQ(wire::crc32(big.data() + 1, len), bitwise_crc(0xEDB88320u, big.data() + 1, len)) << len;
    EXPECT_EQ(wire::crc32c(big.data() + 1, len), bitwise_crc(0x82F63B78u, big.data() + 1, len)) << len;
  }
}

// The C++ runtime writes version 3 (compact, CRC-32C), the Python tracer
// version 1 (fixed, zlib's CRC-32), older C++ builds version 2 (fixed,
// CRC-32C): the decoder takes all three, and a checksum of the other kind is
// a corrupt frame.
TEST(WireCodec, BothFrameVersionsDecodeAndTheirChecksumsDoNotMix) {
  Event e = make_event(EventKind::print, 42, 7);
  e.text = "hello";
  std::vector<uint8_t> payload;
  ASSERT_TRUE(wire::append_event_fixed(payload, e));
  auto v2 = wire::make_frame(payload, wire::kVersionCrc32c);
  ASSERT_EQ(v2[4], wire::kVersionCrc32c);
  auto v1 = v2;
  v1[4] = wire::kVersion;
  uint32_t c = wire::crc32(payload.data(), payload.size());
  std::memcpy(v1.data() + 8, &c, 4);
  ASSERT_EQ(v1, wire::make_frame(payload, wire::kVersion));
  auto v3 = wire::encode_single(e);
  ASSERT_EQ(v3[4], wire::kVersionCompact);
  for (const auto* frame : {&v1, &v2, &v3}) {
    wire::FrameDecoder d;
    std::vector<Event> out;
    d.feed(*frame, out);
    ASSERT_EQ(out.size(), 1u);
    EXPECT_EQ(out[0].text, "hello");
    EXPECT_EQ(d.stats().dropped_frames, 0u);
  }
  auto mixed = v2;
  std::memcpy(mixed.data() + 8, &c, 4);  // version 2 with a CRC-32
  wire::FrameDecoder d;
  std::vector<Event> out;
  d.feed(mixed, out);
  d.finish();
  EXPECT_TRUE(out.empty());
  EXPECT_EQ(d.stats().dropped_frames, 1u);
}

// The compact encoding (version 3): extremes of every field, a pid that is
// not the payload's base pid, times before the base, and -0.0 come back
// exactly; a lock operation is a dozen bytes; every truncation is rejected.
TEST(WireCodec, CompactEncodingRoundTripsExtremesAndIsSmall) {
  std::vector<Event> in;
  for (int i = 0; i < 40; ++i) in.push_back(sample(i));
  Event ext = sample(5);
  ext.t_ns = INT64_MIN;
  ext.pid = INT32_MIN;
  ext.other = INT32_MAX;
  ext.value = INT64_MIN;
  ext.limit = INT64_MAX;
  ext.seconds = -0.0;
  ext.line = INT32_MIN;
  in.push_back(ext);
  Event zero = make_event(EventKind::sleep_end, 0, INT64_MAX);
  in.push_back(zero);
  std::vector<uint8_t> payload;
  size_t n = 0;
  while (n < in.size() && wire::append_event(payload, in[n])) ++n;
  ASSERT_EQ(n, in.size());
  std::vector<Event> out;
  ASSERT_TRUE(wire::decode_payload(payload, out));
  ASSERT_EQ(out.size(), in.size());
  for (size_t i = 0; i < in.size(); ++i) EXPECT_EQ(out[i], in[i]) << i;
  EXPECT_TRUE(std::signbit(out[in.size() - 2].seconds));
  for (size_t cut = 0; cut < payload.size(); ++cut) {
    std::vector<Event> part;
    const bool ok = wire::decode_payload(std::span<const uint8_t>(payload.data(), cut), part);
    // A cut may fall between two events; then what decodes is a prefix.
    if (ok)
      for (size_t i = 0; i < part.size(); ++i) ASSERT_EQ(part[i], in[i]) << "cut " << cut;
    else
      ASSERT_TRUE(part.empty()) << "cut " << cut;
  }

  Event acquire = make_event(EventKind::lock_acquire, 4242, 1'000'000'000'000);
  acquire.name = "lock";
  std::vector<uint8_t> locks;
  ASSERT_TRUE(wire::append_event(locks, acquire));
  const size_t first = locks.size();
  acquire.t_ns += 1500;
  ASSERT_TRUE(wire::append_event(locks, acquire));
  EXPECT_LE(locks.size() - first, 12u);  // fixed encoding: 54 bytes

  std::vector<uint8_t> fixed;
  ASSERT_TRUE(wire::append_event_fixed(fixed, acquire));
  std::vector<Event> a, b;
  ASSERT_TRUE(wire::decode_payload(fixed, a, wire::kVersionCrc32c));
  ASSERT_TRUE(wire::decode_payload(locks, b));
  ASSERT_EQ(b.size(), 2u);
  EXPECT_EQ(a[0], b[1]);
}

// What only a broken or hostile writer sends in a compact payload is refused
// as a whole: a pid beyond 32 bits, an 11-byte varint, a string longer than
// any writer sends or longer than the payload, an empty string marked
// present, a bad kind.
TEST(WireCodec, CompactDecoderRefusesOutOfRangeFields) {
  Event e = make_event(EventKind::lock_acquire, 7, 1000);
  e.name = "lock";
  std::vector<uint8_t> good;
  ASSERT_TRUE(wire::append_event(good, e));
  const size_t k = wire::kCompactBaseBytes;  // kind, flags, mask, time delta, then fields
  ASSERT_EQ(good[k + 2], 1 << 6);             // only the name is present
  std::vector<Event> out;
  ASSERT_TRUE(wire::decode_payload(good, out));

  auto with_event = [&](std::vector<uint8_t> ev) {
    std::vector<uint8_t> p(good.begin(), good.end());
    p.insert(p.end(), ev.begin(), ev.end());  // a second event after a good one
    return p;
  };
  const uint8_t kind = static_cast<uint8_t>(EventKind::print);
  const std::vector<std::vector<uint8_t>> bad = {
      {kind, 0, 1 << 0, 0, 0x80, 0x80, 0x80, 0x80, 0x20},  // pid 2^32 (zigzag): not an int32
      {kind, 0, 1 << 2, 0, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01},
      {kind, 0, 1 << 7, 0, 0xDE, 0x0B},                 // text of 1502 bytes > kMaxStringField
      {kind, 0, 1 << 7, 0, 0x05, 'a', 'b'},             // text longer than the payload
      {kind, 0, 1 << 6, 0, 0x00},                       // an empty name marked present
      {static_cast<uint8_t>(kEventKindCount + 1), 0, 0, 0},  // no such kind
      {kind, 0, 1 << 4, 0, 1, 2, 3},                    // seconds cut short
  };
  for (size_t i = 0; i < bad.size(); ++i) {
    out.clear();
    EXPECT_FALSE(wire::decode_payload(with_event(bad[i]), out)) << "case " << i;
    EXPECT_TRUE(out.empty()) << "case " << i << ": nothing of a refused payload is kept";
    std::vector<EventView> views;
    EXPECT_FALSE(wire::decode_payload(with_event(bad[i]), views)) << "case " << i;
  }
  // And a frame around such a payload is counted as dropped by the decoder.
  wire::FrameDecoder d;
  out.clear();
  d.feed(wire::make_frame(with_event(bad[0])), out);
  EXPECT_TRUE(out.empty());
  EXPECT_EQ(d.stats().dropped_frames, 1u);
}
