// multiprocessing.Value and multiprocessing.Array: numbers in the run's
// shared memory. `.value` (an Array element) is read and written as two
// separate traced operations, value_read and value_write, exactly as
// Python's `counter.value += 1` is a read then a write: between them another
// process may write, and its update is lost. get_lock() is the object's own
// Lock, named "<name>.lock". (Named SharedValue/SharedArray here because
// rt::Value already names an entry point's argument.)
//
// `lost` (design.md) is computed where the write happens, by the same rule
// as the Python tracer: each element has a (version, last writer) pair next
// to it, read and updated in the same tiny critical section as the number
// (a spin flag held for a few instructions, never across an event or a
// gate); each process remembers the version it last read or wrote. A
// write is lost when the version it replaces is not the one this process
// last saw and was written by another process.
#pragma once
#include <cstdint>
#include <map>
#include <string>

#include "engine/runtime/lock.hpp"
#include "engine/scenario/args.hpp"

namespace mpviz::rt {

struct SharedValueState;

class SharedArray {
 public:
  // A new array of `size` numbers (doubles if `real`), all `initial`.
  SharedArray(const std::string& name, size_t size, double initial = 0, bool real = false);
  explicit SharedArray(const Handle& h);  // the same array, in a child
  operator Handle() const { return handle(); }
  Handle handle() const;

  double get(size_t i);               // value_read
  void set(size_t i, double v);       // value_write
  size_t size() const;
  Lock get_lock() const;              // "<name>.lock"
  const std::string& name() const { return name_; }

 protected:
  SharedArray() = default;
  double read(size_t i, bool indexed);
  void write(size_t i, double v, bool indexed);
  SharedValueState* state_ = nullptr;
  uint64_t offset_ = 0;
  std::string name_;
  std::map<size_t, int64_t> seen_;  // this process: version last read or written
};

class SharedValue : private SharedArray {
 public:
  SharedValue(const std::string& name, double initial = 0, bool real = false)
      : SharedArray(name, 1, initial, real) {}
  explicit SharedValue(const Handle& h) : SharedArray(h) {}
  operator Handle() const { return handle(); }
  using SharedArray::get_lock;
  using SharedArray::handle;
  using SharedArray::name;

  double get() { return read(0, false); }           // counter.value
  void set(double v) { write(0, v, false); }        // counter.value = v
  int64_t get_int() { return static_cast<int64_t>(get()); }
};

}  // namespace mpviz::rt
