#include "engine/runtime/queue.hpp"

#include <cstring>
#include <stdexcept>

#include "engine/runtime/gate.hpp"
#include "engine/runtime/process_runtime.hpp"
#include "engine/runtime/shared_wait.hpp"

namespace mpviz::rt {

struct QueueSlot {
  uint32_t len;
  char data[Queue::kItemMax];
};

struct QueueState {
  SharedName name;
  boost::interprocess::interprocess_mutex mutex;
  boost::interprocess::interprocess_condition not_empty, not_full;
  int64_t maxsize = 0;
  int64_t capacity = 0;  // slots allocated after this header
  int64_t head = 0, count = 0;
  bool traced = true;
  QueueSlot* slots() { return reinterpret_cast<QueueSlot*>(this + 1); }
};

Queue::Queue(int64_t maxsize, const std::string& name, bool traced) : name_(name) {
  if (maxsize < 0) maxsize = 0;
  int64_t capacity = maxsize > 0 ? maxsize : kUnboundedSlots;
  auto& arena = ProcessRuntime::current().arena();
  offset_ = arena.allocate(sizeof(QueueState) + sizeof(QueueSlot) * static_cast<size_t>(capacity));
  state_ = new (arena.at(offset_)) QueueState;
  state_->name.set(name);
  state_->maxsize = maxsize;
  state_->capacity = capacity;
  state_->traced = traced;
}

Queue::Queue(const Handle& h) {
  if (h.kind != "queue") throw std::invalid_argument("handle is not a queue");
  offset_ = h.offset;
  state_ = ProcessRuntime::current().arena().object<QueueState>(offset_);
  name_ = state_->name.get();
}

Handle Queue::handle() const { return Handle{"queue", offset_, -1, -1}; }

int64_t Queue::qsize() const {
  SharedLock lk(state_->mutex);
  return state_->count;
}

bool Queue::full() const {
  SharedLock lk(state_->mutex);
  return state_->count >= state_->capacity;
}

int64_t Queue::maxsize() const { return state_->maxsize; }

void Queue::put(const std::string& item, bool block, std::optional<double> timeout) {
  if (item.size() > kItemMax) throw std::length_error("queue item longer than 1000 bytes");
  auto& rt = ProcessRuntime::current();
  const bool traced = state_->traced;
  if (traced) pass_gate(EventKind::queue_put, name_);
  if (traced) {
    Event w = rt.event(EventKind::queue_put_wait);
    w.name = name_;
    w.text = item;
    w.value = qsize();
    w.limit = state_->maxsize;
    rt.emit(std::move(w));
  }
  Event e;
  bool ok;
  {
    SharedLock lk(state_->mutex);
    int64_t wait_ns = !block ? 0 : timeout ? rt.scaled_ns(*timeout) : -1;
    if (state_->count >= state_->capacity && wait_ns != 0) {
      lk.unlock();  // never write to the pipe while holding the shared mutex
      rt.flush();
      spin_briefly([&] { return peek(state_->count) < state_->capacity; });
      lk.lock();
    }
    ok = wait_for(state_->not_full, lk, wait_ns,
                  [&] { return state_->count < state_->capacity; });
    if (ok) {
      QueueSlot& s = state_->slots()[(state_->head + state_->count) % state_->capacity];
      s.len = static_cast<uint32_t>(item.size());
      std::memcpy(s.data, item.data(), item.size());
      ++state_->count;
      state_->not_empty.notify_one();
    }
    e = rt.event(ok ? EventKind::queue_put : EventKind::op_timeout);
    e.value = state_->count;
  }
  if (traced) {
    e.name = name_;
    e.text = item;
    e.limit = state_->maxsize;
    rt.emit(std::move(e));
  }
  if (!ok) throw Full();
}

std::string Queue::get(bool block, std::optional<double> timeout) {
  auto& rt = ProcessRuntime::current();
  const bool traced = state_->traced;
  if (traced) pass_gate(EventKind::queue_get, name_);
  if (traced) {
    Event w = rt.event(EventKind::queue_get_wait);
    w.name = name_;
    w.value = qsize();
    w.limit = state_->maxsize;
    rt.emit(std::move(w));
  }
  Event e;
  std::string item;
  bool ok;
  {
    SharedLock lk(state_->mutex);
    int64_t wait_ns = !block ? 0 : timeout ? rt.scaled_ns(*timeout) : -1;
    if (state_->count == 0 && wait_ns != 0) {
      lk.unlock();
      rt.flush();
      spin_briefly([&] { return peek(state_->count) > 0; });
      lk.lock();
    }
    ok = wait_for(state_->not_empty, lk, wait_ns, [&] { return state_->count > 0; });
    if (ok) {
      QueueSlot& s = state_->slots()[state_->head];
      item.assign(s.data, s.len);
      state_->head = (state_->head + 1) % state_->capacity;
      --state_->count;
      state_->not_full.notify_one();
    }
    e = rt.event(ok ? EventKind::queue_get : EventKind::op_timeout);
    e.value = state_->count;
  }
  if (traced) {
    e.name = name_;
    e.text = item;
    e.limit = state_->maxsize;
    rt.emit(std::move(e));
  }
  if (!ok) throw Empty();
  return item;
}

}  // namespace mpviz::rt
