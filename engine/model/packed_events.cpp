#include "engine/model/packed_events.hpp"

#include <algorithm>
#include <cstring>

namespace mpviz {

namespace {
constexpr int kOffsetBits = 20;
constexpr uint32_t kOffsetMask = (1u << kOffsetBits) - 1;

uint32_t hash_short(std::string_view s) {
  uint32_t h = 2166136261u;  // FNV-1a: strings here are a few bytes long
  for (unsigned char c : s) h = (h ^ c) * 16777619u;
  return h;
}
}  // namespace

uint32_t StringArena::add(std::string_view s) {
  if (s.empty()) return 0;
  uint32_t* slot = nullptr;
  if (s.size() <= kMaxCached) {
    slot = &cache_[hash_short(s) % kCacheSlots];
    if (*slot != 0 && get(*slot) == s) return *slot;
  }
  const size_t need = 4 + s.size();
  if (chunks_.empty() || chunks_.back().size - chunks_.back().used < need) {
    if (chunks_.size() > (0xFFFFFFFFu >> kOffsetBits)) return 0;  // 4 GiB of text: keep the event, not its string
    // Offset 0 of chunk 0 would be ref 0 (the empty string): chunk 0 starts
    // its strings at offset 1.
    const size_t start = chunks_.empty() ? 1 : 0;
    const size_t size = std::max(need + start, kChunk);
    chunks_.push_back(Chunk{std::make_unique<char[]>(size), size, start});
  }
  Chunk& c = chunks_.back();
  const auto len = static_cast<uint32_t>(s.size());
  std::memcpy(c.data.get() + c.used, &len, 4);
  std::memcpy(c.data.get() + c.used + 4, s.data(), s.size());
  const uint32_t ref = static_cast<uint32_t>((chunks_.size() - 1) << kOffsetBits) |
                       static_cast<uint32_t>(c.used);
  c.used += need;
  if (slot) *slot = ref;
  return ref;
}

std::string_view StringArena::get(uint32_t ref) const {
  if (ref == 0) return {};
  const Chunk& c = chunks_[ref >> kOffsetBits];
  const char* p = c.data.get() + (ref & kOffsetMask);
  uint32_t len;
  std::memcpy(&len, p, 4);
  return {p + 4, len};
}

void PackedEvents::push(const EventView& e) {
  if (size_ == blocks_.size() * kPerBlock)
    blocks_.push_back(std::make_unique_for_overwrite<PackedEvent[]>(kPerBlock));
  PackedEvent& p = blocks_[size_ / kPerBlock][size_ % kPerBlock];
  p.t_ns = e.t_ns;
  p.value = e.value;
  p.limit = e.limit;
  p.seconds = e.seconds;
  p.pid = e.pid;
  p.other = e.other;
  p.line = e.line;
  p.name = strings_.add(e.name);
  p.text = strings_.add(e.text);
  p.kind = e.kind;
  p.flags = e.flags;
  ++size_;
}

EventView PackedEvents::view(size_t i) const {
  const PackedEvent& p = blocks_[i / kPerBlock][i % kPerBlock];
  EventView e;
  e.t_ns = p.t_ns;
  e.pid = p.pid;
  e.kind = p.kind;
  e.flags = p.flags;
  e.other = p.other;
  e.value = p.value;
  e.limit = p.limit;
  e.seconds = p.seconds;
  e.line = p.line;
  e.name = strings_.get(p.name);
  e.text = strings_.get(p.text);
  return e;
}

void PackedEvents::unpack_range(size_t from, std::vector<Event>& out) const {
  if (from >= size_) return;
  out.reserve(out.size() + (size_ - from));
  for (size_t i = from; i < size_; ++i) out.push_back(view(i).to_event());
}

size_t PackedEvents::bytes_used() const {
  return blocks_.size() * kPerBlock * sizeof(PackedEvent) + strings_.bytes_used();
}

}  // namespace mpviz
