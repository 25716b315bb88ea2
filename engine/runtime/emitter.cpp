#include "engine/runtime/emitter.hpp"

#include <cerrno>
#include <ctime>
#include <unistd.h>

#include "engine/runtime/clock.hpp"
#include "engine/wire_codec.hpp"

namespace mpviz::rt {

void sleep_wall_ns(int64_t ns) {
  if (ns <= 0) return;
  timespec ts{static_cast<time_t>(ns / 1'000'000'000), static_cast<long>(ns % 1'000'000'000)};
  while (nanosleep(&ts, &ts) == -1 && errno == EINTR) {
  }
}

bool flushes_batch(EventKind k) {
  switch (k) {
    // Waits, sleeps and prints do NOT flush here: the runtime flushes
    // explicitly right before it really blocks (a lock that is free, a
    // zero-length sleep or a print cost no write() of their own).
    case EventKind::process_start:  // the parent forks right before: flushed there too
    case EventKind::process_exit:
    case EventKind::process_killed:  // report-then-reap: must be out before the reap
    case EventKind::join_begin:
      return true;
    default:
      return false;
  }
}

void Emitter::emit(Event e) {
  if (fd_ < 0 || !enabled_) return;
  if (e.t_ns == 0) e.t_ns = now_ns();
  if (e.text.size() > wire::kMaxStringField) {
    e.text.resize(wire::kMaxStringField - 3);
    e.text += "...";
  }
  if (payload_.empty()) oldest_ns_ = e.t_ns;
  if (!wire::append_event(payload_, e)) {
    write_frame();
    oldest_ns_ = e.t_ns;
    wire::append_event(payload_, e);  // always fits in an empty payload
  }
  if (flushes_batch(e.kind) || e.t_ns - oldest_ns_ > kMaxAgeNs) write_frame();
}

void Emitter::flush() {
  if (!payload_.empty()) write_frame();
}

void Emitter::write_frame() {
  if (payload_.empty()) return;
  auto frame = wire::make_frame(payload_);
  payload_.clear();
  const uint8_t* p = frame.data();
  size_t left = frame.size();
  while (left > 0 && fd_ >= 0) {
    ssize_t n = ::write(fd_, p, left);
    if (n < 0) {
      if (errno == EINTR) continue;
      fd_ = -1;  // reader gone: keep running, stop tracing
      return;
    }
    p += n;
    left -= static_cast<size_t>(n);
  }
}

}  // namespace mpviz::rt
