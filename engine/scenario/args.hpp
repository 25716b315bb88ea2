// Arguments of a child entry point, in a form that crosses exec: plain values
// and handles to shared objects (arena offset and/or inherited fds). This is
// our stand-in for pickling a Process object under the spawn start method.
#pragma once
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace mpviz::rt {

struct Handle {
  std::string kind;     // "lock", "semaphore", "queue", "connection", ...
  uint64_t offset = 0;  // offset of the shared state in the run's arena
  int fd0 = -1, fd1 = -1;  // inherited descriptors (pipe ends), if any
  bool operator==(const Handle&) const = default;
};

using Value = std::variant<int64_t, double, bool, std::string, Handle>;

class Args {
 public:
  Args() = default;
  Args(std::initializer_list<Value> v) : values_(v) {}
  void push(Value v) { values_.push_back(std::move(v)); }
  size_t size() const { return values_.size(); }
  int64_t i(size_t k) const;
  double f(size_t k) const;
  bool b(size_t k) const;
  const std::string& s(size_t k) const;
  const Handle& h(size_t k) const;
  const std::vector<Value>& values() const { return values_; }

  std::string to_json() const;
  static std::optional<Args> from_json(std::string_view text);

 private:
  const Value& at(size_t k) const;
  std::vector<Value> values_;
};

}  // namespace mpviz::rt
