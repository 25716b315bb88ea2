#include "engine/runtime/lock.hpp"

#include <atomic>
#include <boost/interprocess/sync/interprocess_mutex.hpp>
#include <cstring>
#include <stdexcept>

#include "engine/wire/clock.hpp"
#include "engine/runtime/gate.hpp"
#include "engine/runtime/process_runtime.hpp"
#include "engine/runtime/shared_name.hpp"

namespace mpviz::rt {

struct LockState {
  SharedName name;
  boost::interprocess::interprocess_mutex mutex;
  std::atomic<int32_t> owner{0};
};

Lock::Lock(const std::string& name) : name_(name) {
  state_ = ProcessRuntime::current().arena().construct<LockState>(offset_);
  state_->name.set(name);
}

Lock::Lock(const Handle& h) {
  if (h.kind != "lock") throw std::invalid_argument("handle is not a lock");
  offset_ = h.offset;
  state_ = ProcessRuntime::current().arena().object<LockState>(offset_);
  name_ = state_->name.get();
}

Handle Lock::handle() const { return Handle{"lock", offset_, -1, -1}; }

int Lock::owner() const { return state_->owner.load(); }

bool Lock::acquire(bool block, std::optional<double> timeout) {
  auto& rt = ProcessRuntime::current();
  pass_gate(EventKind::lock_acquire, name_);
  Event w = rt.event(EventKind::lock_wait);
  w.name = name_;
  rt.emit(std::move(w));
  bool ok = state_->mutex.try_lock();
  if (!ok && block) {
    // No spin_briefly here: the tutorial's lock scenario has five processes
    // on two cores, where a spinning waiter mostly burns the CPU the holder
    // (or the event reader) needs; measured, it made no traced run faster.
    rt.flush();  // about to block: what we wait for must be visible now
    if (timeout) {
      ok = timed_lock(state_->mutex, rt.scaled_ns(*timeout));
    } else {
      state_->mutex.lock();
      ok = true;
    }
  }
  Event e = rt.event(ok ? EventKind::lock_acquire : EventKind::op_timeout);
  e.name = name_;
  if (ok) state_->owner.store(rt.pid());
  rt.emit(std::move(e));
  return ok;
}

void Lock::release() {
  auto& rt = ProcessRuntime::current();
  pass_gate(EventKind::lock_release, name_);
  // Stamp before unlocking so the next holder's acquire is always later.
  Event e = rt.event(EventKind::lock_release);
  e.name = name_;
  state_->owner.store(0);
  state_->mutex.unlock();
  rt.emit(std::move(e));
}

}  // namespace mpviz::rt
