#include "engine/control/step_control.hpp"

#include <algorithm>
#include <cstring>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "engine/wire/gate_table.hpp"

namespace mpviz {

StepControl::~StepControl() {
  if (table_) {
    run_free();  // never leave anything parked on our way out
    munmap(table_, gate::kTableSize);
  }
  if (fd_ >= 0) close(fd_);
}

uint64_t StepControl::dropped_frames() const {
  return table_ ? table_->dropped_frames.load(std::memory_order_relaxed) : 0;
}

void StepControl::set_speed(double speed) {
  if (!table_) return;
  uint64_t bits;
  std::memcpy(&bits, &speed, sizeof bits);
  table_->speed_bits.store(bits, std::memory_order_release);
}

std::error_code StepControl::create(bool start_held, double speed) {
  fd_ = memfd_create("mpviz-gate", MFD_CLOEXEC);
  if (fd_ < 0) return {errno, std::system_category()};
  if (fchmod(fd_, 0600) != 0) return {errno, std::system_category()};  // memfds start at 0777
  if (ftruncate(fd_, gate::kTableSize) != 0) return {errno, std::system_category()};
  void* p = mmap(nullptr, gate::kTableSize, PROT_READ | PROT_WRITE, MAP_SHARED, fd_, 0);
  if (p == MAP_FAILED) return {errno, std::system_category()};
  table_ = new (p) gate::Table;
  table_->magic = gate::kMagic;
  table_->mode.store(start_held ? gate::kHeld : gate::kRunFree);
  set_speed(speed);
  return {};
}

void StepControl::hold() {
  if (table_) table_->mode.store(gate::kHeld, std::memory_order_release);
}

bool StepControl::held() const {
  return table_ && table_->mode.load(std::memory_order_acquire) == gate::kHeld;
}

void StepControl::run_free() {
  if (!table_) return;
  table_->mode.store(gate::kRunFree, std::memory_order_release);
  for (auto& s : table_->slots)
    if (s.state.load(std::memory_order_acquire) == gate::kPending) gate::futex_wake_all(&s.state);
}

namespace {
bool grant(gate::Slot& s) {
  uint32_t expected = gate::kPending;
  if (!s.state.compare_exchange_strong(expected, gate::kGranted)) return false;
  gate::futex_wake_all(&s.state);
  return true;
}
}  // namespace

bool StepControl::step_oldest() {
  if (!table_) return false;
  gate::Slot* oldest = nullptr;
  for (auto& s : table_->slots)
    if (s.pid.load() != 0 && s.state.load() == gate::kPending &&
        (!oldest || s.seq.load() < oldest->seq.load()))
      oldest = &s;
  return oldest && grant(*oldest);
}

bool StepControl::step_pid(int32_t pid) {
  if (!table_) return false;
  for (auto& s : table_->slots)
    if (s.pid.load() == pid && s.state.load() == gate::kPending) return grant(s);
  return false;
}

std::vector<PendingOp> StepControl::pending() const {
  std::vector<PendingOp> v;
  if (!table_) return v;
  for (const auto& s : table_->slots) {
    int32_t pid = s.pid.load();
    if (pid == 0 || s.state.load(std::memory_order_acquire) != gate::kPending) continue;
    PendingOp op;
    op.pid = pid;
    op.seq = s.seq.load();
    op.kind = static_cast<EventKind>(s.kind);
    op.obj.assign(s.obj, strnlen(s.obj, sizeof s.obj));
    v.push_back(std::move(op));
  }
  std::sort(v.begin(), v.end(), [](const auto& a, const auto& b) { return a.seq < b.seq; });
  return v;
}

void StepControl::forget(int32_t pid) {
  if (!table_) return;
  for (auto& s : table_->slots)
    if (s.pid.load() == pid) {
      s.state.store(gate::kIdle);
      s.pid.store(0);
    }
}

const char* pending_verb(EventKind k) {
  switch (k) {
    case EventKind::process_start: return "start a child";
    case EventKind::process_exit: return "exit";
    case EventKind::join_begin: return "join";
    case EventKind::sleep_begin: return "sleep";
    case EventKind::print: return "print";
    case EventKind::lock_acquire: return "acquire";
    case EventKind::lock_release: return "release";
    case EventKind::sem_acquire: return "acquire";
    case EventKind::sem_release: return "release";
    case EventKind::queue_put: return "put";
    case EventKind::queue_get: return "get";
    case EventKind::pipe_send: return "send";
    case EventKind::pipe_recv: return "recv";
    case EventKind::pool_submit: return "submit a task";
    case EventKind::pool_task_begin: return "run a task";
    default: return "continue";
  }
}

}  // namespace mpviz
