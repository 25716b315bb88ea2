// Step mode's shared table: the engine holds every process of a run before
// each traced operation, and lets them go one at a time.
//
// One memfd per run, created by the supervisor and inherited by every
// process (fd kGateFd in main). Children announce the operation they are
// about to do in their slot and wait (futex, in bounded slices) until the
// engine grants it or switches to free running. The engine only stores
// atomics and wakes futexes: it never waits on anything a child holds.
#pragma once
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <cstring>

namespace mpviz::gate {

inline constexpr int kMaxSlots = 512;

enum Mode : uint32_t { kRunFree = 0, kHeld = 1 };
enum SlotState : uint32_t { kIdle = 0, kPending = 1, kGranted = 2 };

struct Slot {
  std::atomic<int32_t> pid{0};       // 0: free slot
  std::atomic<uint32_t> state{kIdle};  // futex word
  std::atomic<uint64_t> seq{0};      // arrival order of the pending operation
  uint8_t kind = 0;                  // EventKind of the pending operation
  char obj[40] = {};
};

struct Table {
  uint32_t magic;
  std::atomic<uint32_t> mode{kRunFree};
  // The run's --speed, changeable live by the engine (bits of a double).
  std::atomic<uint64_t> speed_bits{0};
  // Frames children had to drop because the event pipe stayed full.
  std::atomic<uint64_t> dropped_frames{0};
  std::atomic<uint64_t> next_seq{1};
  Slot slots[kMaxSlots];
};

// assets/python/mpviz_trace/gate.py maps this table byte by byte.
static_assert(sizeof(Slot) == 64 && offsetof(Slot, state) == 4 && offsetof(Slot, seq) == 8 &&
              offsetof(Slot, kind) == 16 && offsetof(Slot, obj) == 17);
static_assert(offsetof(Table, mode) == 4 && offsetof(Table, speed_bits) == 8 &&
              offsetof(Table, dropped_frames) == 16 && offsetof(Table, slots) == 32);

inline constexpr uint32_t kMagic = 0x4d504754;  // "MPGT"
inline constexpr size_t kTableSize = sizeof(Table);

// futex helpers (Linux). wait returns after a wake, a timeout or a signal.
void futex_wait(std::atomic<uint32_t>* word, uint32_t expected, int64_t timeout_ns);
void futex_wake_all(std::atomic<uint32_t>* word);

}  // namespace mpviz::gate
