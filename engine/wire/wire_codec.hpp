// The event pipe's wire format.
//
// A frame is: magic "MPVZ" | version u8 | reserved u8 | payload length u16 |
// CRC-32 of the payload u32 | payload. The payload is one or more encoded
// events. A frame is at most PIPE_BUF bytes and is written with ONE write(),
// so frames of many writers sharing the pipe never interleave.
//
// The decoder resynchronises after garbage (scans for the next magic whose
// frame checks out) and counts what it had to drop.
#pragma once
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "engine/wire/event.hpp"

namespace mpviz::wire {

// Frame versions. 1 and 2 carry the FIXED event encoding (every field, 48
// bytes + strings) with CRC-32 (zlib's: what the Python tracer computes
// cheaply) and CRC-32C respectively; 3, what the C++ runtime writes, carries
// the COMPACT encoding with CRC-32C (one SSE4.2 instruction per 8 bytes).
//
// Compact payload: i64 base time, i32 base pid, then per event
//   u8 kind | u8 flags | u8 field mask | varint zigzag(t_ns - base time)
//   then only the fields whose mask bit is set (the rest are 0 / empty):
//   pid (if not the base pid), other, value, limit (zigzag varints), seconds
//   (8-byte double), line (zigzag varint), name, text (varint length + bytes).
// A lock operation takes ~12 bytes instead of ~56: fewer write()s in the
// child, less to copy, checksum and decode in the engine.
inline constexpr uint8_t kVersion = 1;
inline constexpr uint8_t kVersionCrc32c = 2;
inline constexpr uint8_t kVersionCompact = 3;
inline constexpr size_t kHeaderSize = 12;
inline constexpr size_t kMaxFrame = 4096;  // == PIPE_BUF on Linux
inline constexpr size_t kMaxPayload = kMaxFrame - kHeaderSize;
// Longest string field kept in one event; longer text is cut (and marked).
inline constexpr size_t kMaxStringField = 1500;
// An event's fixed fields in the fixed encoding: kind, flags, pid, t_ns,
// other, value, limit, seconds, line (then two length-prefixed strings).
inline constexpr size_t kFixedEventBytes = 1 + 1 + 4 + 8 + 4 + 8 + 8 + 8 + 4;
// A compact payload's base time (i64) and base pid (i32), before its events.
inline constexpr size_t kCompactBaseBytes = 8 + 4;

uint32_t crc32(const uint8_t* data, size_t n);
uint32_t crc32c(const uint8_t* data, size_t n);  // Castagnoli; hardware when the CPU has it

// Appends the compact encoding of one event to `payload` (starting the
// payload's base fields if it is empty). Returns false (and leaves `payload`
// unchanged) if it would not fit in kMaxPayload.
bool append_event(std::vector<uint8_t>& payload, const Event& e);
// The same in the fixed encoding (frame versions 1 and 2).
bool append_event_fixed(std::vector<uint8_t>& payload, const Event& e);

// Writes the 12-byte frame header (version 3) for a payload into `out` (no
// allocation: usable from a signal handler).
void fill_header(uint8_t* out, const uint8_t* payload, size_t n);

// Wraps a payload into a frame (header + payload) of the given version.
std::vector<uint8_t> make_frame(std::span<const uint8_t> payload,
                                uint8_t version = kVersionCompact);

// Convenience: a frame holding exactly one event.
std::vector<uint8_t> encode_single(const Event& e);

struct DecoderStats {
  uint64_t frames = 0;          // good frames
  uint64_t events = 0;          // events decoded
  uint64_t dropped_frames = 0;  // frames with a bad checksum or bad payload, torn tails
  uint64_t dropped_bytes = 0;   // bytes skipped while resynchronising
};

class FrameDecoder {
 public:
  // Feeds raw bytes from the pipe; decoded events are appended to `out`.
  void feed(std::span<const uint8_t> bytes, std::vector<Event>& out);
  // The same as views: their strings point into the decoder's buffer and
  // stay valid until the next feed() or finish().
  void feed(std::span<const uint8_t> bytes, std::vector<EventView>& out);
  // End of stream: whatever is buffered is a torn tail and is dropped.
  void finish();
  const DecoderStats& stats() const { return stats_; }

 private:
  void take(std::span<const uint8_t> bytes);
  template <typename E>
  void drain(std::vector<E>& out);
  std::vector<uint8_t> buf_;
  size_t start_ = 0;
  bool in_garbage_ = false;
  DecoderStats stats_;
};

// Decodes one payload of a frame version (for tests and the decoder).
// Returns false (and adds nothing) on malformed input.
bool decode_payload(std::span<const uint8_t> payload, std::vector<Event>& out,
                    uint8_t version = kVersionCompact);
bool decode_payload(std::span<const uint8_t> payload, std::vector<EventView>& out,
                    uint8_t version = kVersionCompact);

}  // namespace mpviz::wire
