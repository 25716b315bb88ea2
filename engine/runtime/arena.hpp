// The run's shared memory: one memfd mapped MAP_SHARED by every process of
// the run. A memfd has no name anywhere (nothing appears in /dev/shm) and
// dies with the last process that maps or holds it; forked children inherit
// the mapping, spawned children inherit the fd and map it again.
// Objects are placed with a bump allocator and named by their offset.
#pragma once
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <new>
#include <system_error>

namespace mpviz::rt {

class Arena {
 public:
  static constexpr size_t kSize = 16u << 20;  // reserved, filled lazily

  std::error_code create();            // in the scenario's main process
  std::error_code attach(int fd);      // in a spawned child
  int fd() const { return fd_; }
  bool valid() const { return base_ != nullptr; }

  // Allocates `n` bytes aligned to 64; throws std::bad_alloc when full.
  uint64_t allocate(size_t n);
  template <typename T, typename... A>
  T* construct(uint64_t& offset, A&&... a) {
    offset = allocate(sizeof(T));
    return new (at(offset)) T(std::forward<A>(a)...);
  }
  void* at(uint64_t offset) const { return static_cast<char*>(base_) + offset; }
  template <typename T>
  T* object(uint64_t offset) const { return static_cast<T*>(at(offset)); }

 private:
  struct Header {
    uint32_t magic;
    std::atomic<uint64_t> used;
  };
  std::error_code map();
  int fd_ = -1;
  void* base_ = nullptr;
};

}  // namespace mpviz::rt
