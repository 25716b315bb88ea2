#include "engine/runtime/shared_value.hpp"

#include <atomic>
#include <stdexcept>

#include "engine/runtime/gate.hpp"
#include "engine/runtime/process_runtime.hpp"
#include "engine/runtime/shared_name.hpp"

namespace mpviz::rt {

namespace {
struct Element {
  double value = 0;
  int64_t version = 0;
  int32_t writer = 0;
};
constexpr size_t kMaxElements = 1024;
}  // namespace

struct SharedValueState {
  SharedName name;
  uint64_t lock_offset = 0;
  uint32_t size = 0;
  bool real = false;
  std::atomic_flag busy = ATOMIC_FLAG_INIT;  // held for a few instructions only
  Element elements[kMaxElements];

  void enter() {
    while (busy.test_and_set(std::memory_order_acquire)) {
    }
  }
  void leave() { busy.clear(std::memory_order_release); }
};

SharedArray::SharedArray(const std::string& name, size_t size, double initial, bool real)
    : name_(name) {
  if (size == 0 || size > kMaxElements) throw std::invalid_argument("array size must be 1..1024");
  state_ = ProcessRuntime::current().arena().construct<SharedValueState>(offset_);
  state_->name.set(name);
  state_->size = static_cast<uint32_t>(size);
  state_->real = real;
  for (size_t i = 0; i < size; ++i) state_->elements[i].value = initial;
  Lock lock(name + ".lock");
  state_->lock_offset = lock.handle().offset;
}

SharedArray::SharedArray(const Handle& h) {
  if (h.kind != "value") throw std::invalid_argument("handle is not a Value or Array");
  offset_ = h.offset;
  state_ = ProcessRuntime::current().arena().object<SharedValueState>(offset_);
  name_ = state_->name.get();
}

Handle SharedArray::handle() const { return Handle{"value", offset_, -1, -1}; }
size_t SharedArray::size() const { return state_->size; }
Lock SharedArray::get_lock() const { return Lock(Handle{"lock", state_->lock_offset, -1, -1}); }

double SharedArray::get(size_t i) { return read(i, true); }
void SharedArray::set(size_t i, double v) { write(i, v, true); }

namespace {
void put_value(Event& e, double v, bool real) {
  if (real) {
    e.seconds = v;
    e.flags |= kFlagValueReal;
  } else {
    e.value = static_cast<int64_t>(v);
  }
}
}  // namespace

double SharedArray::read(size_t i, bool indexed) {
  if (i >= state_->size) throw std::out_of_range("index out of range");
  auto& rt = ProcessRuntime::current();
  pass_gate(EventKind::value_read, name_);
  Element& el = state_->elements[i];
  state_->enter();
  double v = el.value;
  int64_t version = el.version;
  Event e = rt.event(EventKind::value_read);  // stamped inside: times follow the value's order
  state_->leave();
  seen_[i] = version;
  e.name = name_;
  put_value(e, v, state_->real);
  if (indexed) e.flags |= kFlagIndexed, e.other = static_cast<int32_t>(i);
  rt.emit(std::move(e));
  return v;
}

void SharedArray::write(size_t i, double v, bool indexed) {
  if (i >= state_->size) throw std::out_of_range("index out of range");
  auto& rt = ProcessRuntime::current();
  pass_gate(EventKind::value_write, name_);
  Element& el = state_->elements[i];
  state_->enter();
  el.value = state_->real ? v : static_cast<double>(static_cast<int64_t>(v));
  int64_t version = el.version;
  int32_t writer = el.writer;
  el.version = version + 1;
  el.writer = rt.pid();
  Event e = rt.event(EventKind::value_write);
  state_->leave();
  auto mine = seen_.find(i);
  bool lost = mine != seen_.end() && mine->second != version && writer != 0 && writer != rt.pid();
  seen_[i] = version + 1;
  e.name = name_;
  put_value(e, v, state_->real);
  if (indexed) e.flags |= kFlagIndexed, e.other = static_cast<int32_t>(i);
  if (lost) e.flags |= kFlagLost;
  rt.emit(std::move(e));
}

}  // namespace mpviz::rt
