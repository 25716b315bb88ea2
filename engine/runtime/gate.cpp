#include "engine/runtime/gate.hpp"

#include <sys/mman.h>
#include <unistd.h>

#include "engine/wire/gate_table.hpp"
#include "engine/runtime/process_runtime.hpp"

namespace mpviz::rt {
namespace {

gate::Table* g_table = nullptr;
gate::Slot* g_slot = nullptr;

gate::Slot* my_slot() {
  if (g_slot) return g_slot;
  int32_t me = getpid();
  for (auto& s : g_table->slots) {
    int32_t expected = 0;
    if (s.pid.compare_exchange_strong(expected, me)) return g_slot = &s;
  }
  return nullptr;  // table full: this process runs ungated
}

}  // namespace

void attach_gate(int fd) {
  if (fd < 0) return;
  void* p = mmap(nullptr, gate::kTableSize, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
  if (p == MAP_FAILED) return;
  auto* t = static_cast<gate::Table*>(p);
  if (t->magic == gate::kMagic) g_table = t;
}

void reset_gate_slot() { g_slot = nullptr; }

void count_dropped_frame() {
  if (g_table) g_table->dropped_frames.fetch_add(1, std::memory_order_relaxed);
}

double live_speed(double fallback) {
  if (!g_table) return fallback;
  uint64_t bits = g_table->speed_bits.load(std::memory_order_acquire);
  double s;
  std::memcpy(&s, &bits, sizeof s);
  return bits == 0 && fallback != 0 ? fallback : s;
}

void release_gate_slot() {
  if (g_slot) {
    g_slot->state.store(gate::kIdle);
    g_slot->pid.store(0);
    g_slot = nullptr;
  }
}

bool pass_gate(EventKind kind, const std::string& obj) {
  if (!g_table || g_table->mode.load(std::memory_order_acquire) == gate::kRunFree) return false;
  gate::Slot* s = my_slot();
  if (!s) return false;
  ProcessRuntime::current().flush();  // everything before the gate is visible while held
  s->kind = static_cast<uint8_t>(kind);
  std::memset(s->obj, 0, sizeof s->obj);
  std::memcpy(s->obj, obj.data(), obj.size() < sizeof s->obj - 1 ? obj.size() : sizeof s->obj - 1);
  s->seq.store(g_table->next_seq.fetch_add(1), std::memory_order_release);
  s->state.store(gate::kPending, std::memory_order_release);
  // Wait in bounded slices: the engine may have switched to free running.
  while (s->state.load(std::memory_order_acquire) == gate::kPending &&
         g_table->mode.load(std::memory_order_acquire) == gate::kHeld)
    gate::futex_wait(&s->state, gate::kPending, 100'000'000);
  s->state.store(gate::kIdle, std::memory_order_release);
  return true;
}

}  // namespace mpviz::rt
