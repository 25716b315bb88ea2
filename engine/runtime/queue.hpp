// multiprocessing.Queue: items are copied (as text) into a ring buffer in the
// run's shared memory and copied out by the getter, so nothing is shared but
// the channel itself, as with CPython's pipe-backed queue. maxsize 0 means
// unbounded (in practice bounded by kUnboundedSlots; put blocks beyond it).
#pragma once
#include <optional>
#include <stdexcept>
#include <string>

#include "engine/scenario/args.hpp"

namespace mpviz::rt {

struct QueueState;

class Empty : public std::runtime_error {
 public:
  Empty() : std::runtime_error("queue.Empty") {}
};
class Full : public std::runtime_error {
 public:
  Full() : std::runtime_error("queue.Full") {}
};

class Queue {
 public:
  static constexpr size_t kItemMax = 1000;
  static constexpr int64_t kUnboundedSlots = 256;

  explicit Queue(int64_t maxsize = 0, const std::string& name = "queue", bool traced = true);
  explicit Queue(const Handle& h);
  operator Handle() const { return handle(); }
  Handle handle() const;

  // Throws Full / Empty when block is false or the timeout (scenario seconds) passes.
  void put(const std::string& item, bool block = true, std::optional<double> timeout = std::nullopt);
  std::string get(bool block = true, std::optional<double> timeout = std::nullopt);
  int64_t qsize() const;
  bool empty() const { return qsize() == 0; }
  bool full() const;
  int64_t maxsize() const;
  const std::string& name() const { return name_; }

 private:
  QueueState* state_ = nullptr;
  uint64_t offset_ = 0;
  std::string name_;
};

}  // namespace mpviz::rt
