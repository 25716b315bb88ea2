#include "engine/runtime/semaphore.hpp"

#include <stdexcept>

#include "engine/runtime/gate.hpp"
#include "engine/runtime/process_runtime.hpp"
#include "engine/runtime/shared_wait.hpp"

namespace mpviz::rt {

struct SemaphoreState {
  SharedName name;
  boost::interprocess::interprocess_mutex mutex;
  boost::interprocess::interprocess_condition nonzero;
  int64_t value = 0;
};

Semaphore::Semaphore(int64_t value, const std::string& name) : name_(name) {
  if (value < 0) throw std::invalid_argument("semaphore initial value must be >= 0");
  state_ = ProcessRuntime::current().arena().construct<SemaphoreState>(offset_);
  state_->name.set(name);
  state_->value = value;
}

Semaphore::Semaphore(const Handle& h) {
  if (h.kind != "semaphore") throw std::invalid_argument("handle is not a semaphore");
  offset_ = h.offset;
  state_ = ProcessRuntime::current().arena().object<SemaphoreState>(offset_);
  name_ = state_->name.get();
}

Handle Semaphore::handle() const { return Handle{"semaphore", offset_, -1, -1}; }

int64_t Semaphore::value() const {
  SharedLock lk(state_->mutex);
  return state_->value;
}

bool Semaphore::acquire(bool block, std::optional<double> timeout) {
  auto& rt = ProcessRuntime::current();
  pass_gate(EventKind::sem_acquire, name_);
  Event w = rt.event(EventKind::sem_wait);
  w.name = name_;
  w.value = value();
  rt.emit(std::move(w));
  Event e;
  {
    SharedLock lk(state_->mutex);
    int64_t wait_ns = !block ? 0 : timeout ? rt.scaled_ns(*timeout) : -1;
    if (state_->value == 0 && wait_ns != 0) {
      lk.unlock();  // never write to the pipe while holding the shared mutex
      rt.flush();
      spin_briefly([&] { return peek(state_->value) > 0; });
      lk.lock();
    }
    bool ok = wait_for(state_->nonzero, lk, wait_ns, [&] { return state_->value > 0; });
    if (ok) --state_->value;
    // Stamped inside the critical section: event order follows count order.
    e = rt.event(ok ? EventKind::sem_acquire : EventKind::op_timeout);
    e.value = state_->value;
  }
  e.name = name_;
  bool ok = e.kind == EventKind::sem_acquire;
  rt.emit(std::move(e));
  return ok;
}

void Semaphore::release() {
  auto& rt = ProcessRuntime::current();
  pass_gate(EventKind::sem_release, name_);
  Event e;
  {
    SharedLock lk(state_->mutex);
    ++state_->value;
    e = rt.event(EventKind::sem_release);
    e.value = state_->value;
    state_->nonzero.notify_one();
  }
  e.name = name_;
  rt.emit(std::move(e));
}

}  // namespace mpviz::rt
