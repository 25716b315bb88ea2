// multiprocessing.Semaphore: a counter in shared memory; acquire() blocks at
// zero. Every traced event carries the count after the operation.
#pragma once
#include <optional>
#include <string>

#include "engine/scenario/args.hpp"

namespace mpviz::rt {

struct SemaphoreState;

class Semaphore {
 public:
  explicit Semaphore(int64_t value = 1, const std::string& name = "semaphore");
  explicit Semaphore(const Handle& h);
  operator Handle() const { return handle(); }
  Handle handle() const;

  bool acquire(bool block = true, std::optional<double> timeout = std::nullopt);
  void release();
  int64_t value() const;
  const std::string& name() const { return name_; }

 private:
  SemaphoreState* state_ = nullptr;
  uint64_t offset_ = 0;
  std::string name_;
};

}  // namespace mpviz::rt
