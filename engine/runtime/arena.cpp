#include "engine/runtime/arena.hpp"

#include <cerrno>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

namespace mpviz::rt {
namespace {
constexpr uint32_t kMagic = 0x4d50415a;  // "MPAZ"
}

std::error_code Arena::create() {
  fd_ = memfd_create("mpviz-arena", MFD_CLOEXEC);
  if (fd_ < 0) return {errno, std::system_category()};
  // A memfd is created with mode 0777 (umask does not apply); only the
  // run's own user may open it through /proc/PID/fd.
  if (fchmod(fd_, 0600) != 0) return {errno, std::system_category()};
  if (ftruncate(fd_, kSize) != 0) return {errno, std::system_category()};
  if (auto ec = map()) return ec;
  auto* h = new (base_) Header;
  h->magic = kMagic;
  h->used.store(64, std::memory_order_release);
  return {};
}

std::error_code Arena::attach(int fd) {
  fd_ = fd;
  if (auto ec = map()) return ec;
  if (static_cast<Header*>(base_)->magic != kMagic)
    return std::make_error_code(std::errc::invalid_argument);
  return {};
}

std::error_code Arena::map() {
  void* p = mmap(nullptr, kSize, PROT_READ | PROT_WRITE, MAP_SHARED, fd_, 0);
  if (p == MAP_FAILED) return {errno, std::system_category()};
  base_ = p;
  return {};
}

uint64_t Arena::allocate(size_t n) {
  auto* h = static_cast<Header*>(base_);
  uint64_t size = (n + 63) & ~uint64_t{63};
  uint64_t off = h->used.fetch_add(size, std::memory_order_acq_rel);
  if (off + size > kSize) throw std::bad_alloc();
  return off;
}

}  // namespace mpviz::rt
