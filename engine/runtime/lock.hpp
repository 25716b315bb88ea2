// multiprocessing.Lock: a non-recursive lock in the run's shared memory
// (a Boost.Interprocess process-shared mutex), traced as lock_wait /
// lock_acquire / lock_release with the object's name.
#pragma once
#include <optional>
#include <string>

#include "engine/scenario/args.hpp"

namespace mpviz::rt {

struct LockState;

class Lock {
 public:
  explicit Lock(const std::string& name = "lock");  // creates a new lock
  explicit Lock(const Handle& h);                   // the same lock, in a child
  operator Handle() const { return handle(); }
  Handle handle() const;

  // block=false: try once. timeout: scenario seconds. Returns true if acquired.
  bool acquire(bool block = true, std::optional<double> timeout = std::nullopt);
  void release();
  const std::string& name() const { return name_; }
  int owner() const;  // pid of the holder, 0 if free

 private:
  LockState* state_ = nullptr;
  uint64_t offset_ = 0;
  std::string name_;
};

}  // namespace mpviz::rt
