// The run's events as the engine keeps them: fixed 56-byte records whose
// strings live in one arena, instead of 120-byte `Event`s with two
// `std::string`s each. The supervisor's reader appends hundreds of thousands
// of events a second; with `Event`s most of its time went to moving them,
// page-faulting fresh memory and malloc (docs/performance.md, transport).
//
// Not thread-safe: EventLog wraps it in its mutex.
#pragma once
#include <array>
#include <cstdint>
#include <memory>
#include <string_view>
#include <vector>

#include "engine/wire/event.hpp"

namespace mpviz {

// Append-only storage for strings, addressed by a 32-bit reference (0 is the
// empty string). Short strings that repeat (object and process names, small
// queue items) are stored once, through a small direct-mapped cache; long or
// unique ones (print text) are appended. Nothing moves once written.
class StringArena {
 public:
  uint32_t add(std::string_view s);
  std::string_view get(uint32_t ref) const;
  size_t bytes_used() const { return chunks_.size() * kChunk; }

 private:
  static constexpr size_t kChunk = 1 << 20;  // a string never spans two chunks
  static constexpr size_t kCacheSlots = 256;
  static constexpr size_t kMaxCached = 24;
  struct Chunk {
    std::unique_ptr<char[]> data;
    size_t size = 0;
    size_t used = 0;
  };
  std::vector<Chunk> chunks_;
  // Refs are chunk index << 20 | offset; a string longer than a chunk gets
  // a chunk of its own (offset 0). The 4-byte length precedes the bytes.
  std::array<uint32_t, kCacheSlots> cache_{};
};

struct PackedEvent {
  int64_t t_ns;
  int64_t value;
  int64_t limit;
  double seconds;
  int32_t pid;
  int32_t other;
  int32_t line;
  uint32_t name;  // StringArena refs
  uint32_t text;
  EventKind kind;
  uint8_t flags;
};
static_assert(sizeof(PackedEvent) == 56);

class PackedEvents {
 public:
  void push(const EventView& e);
  void push(const Event& e) { push(EventView(e)); }
  size_t size() const { return size_; }
  // Appends events [from, size()) to `out` as `Event`s.
  void unpack_range(size_t from, std::vector<Event>& out) const;
  EventView view(size_t i) const;  // strings valid while this store lives
  // Bytes held (records and strings): for the memory benchmarks.
  size_t bytes_used() const;

 private:
  static constexpr size_t kPerBlock = 1 << 14;  // 16k records, 896 KiB a block
  std::vector<std::unique_ptr<PackedEvent[]>> blocks_;
  size_t size_ = 0;
  StringArena strings_;
};

}  // namespace mpviz
