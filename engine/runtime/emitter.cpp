#include "engine/runtime/emitter.hpp"

#include <cerrno>
#include <ctime>
#include <csignal>
#include <poll.h>
#include <sys/uio.h>

#include "engine/runtime/gate.hpp"
#include <unistd.h>

#include "engine/wire/clock.hpp"
#include "engine/wire/wire_codec.hpp"

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

namespace {
Emitter* g_term_emitter = nullptr;
volatile sig_atomic_t g_in_emit = 0;
volatile sig_atomic_t g_term_pending = 0;

[[noreturn]] void die_of(int sig) {
  signal(sig, SIG_DFL);
  sigset_t s;
  sigemptyset(&s);
  sigaddset(&s, sig);
  sigprocmask(SIG_UNBLOCK, &s, nullptr);
  raise(sig);
  _exit(128 + sig);
}
}  // namespace

// A full payload: no reallocation while emitting.
Emitter::Emitter() { payload_.reserve(wire::kMaxPayload); }

void Emitter::install_term_flush() {
  g_term_emitter = this;
  struct sigaction sa {};
  sa.sa_handler = &Emitter::on_term;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGTERM, &sa, nullptr);
}

void Emitter::on_term(int sig) {
  if (g_in_emit) {  // emit() is mid-update: it flushes and dies when done
    g_term_pending = sig;
    return;
  }
  if (g_term_emitter) g_term_emitter->write_frame();
  die_of(sig);
}

// While the batch is being changed or written, a SIGTERM only takes note;
// the guard's end flushes and dies. (Writing the batch from the handler in
// the middle of a write would send it twice.)
struct Emitter::Busy {
  Busy() { g_in_emit = 1; }
  ~Busy() {
    g_in_emit = 0;
    if (g_term_pending) {
      if (g_term_emitter) g_term_emitter->write_frame();
      die_of(g_term_pending);
    }
  }
};

void Emitter::emit(Event e) {
  if (fd_ < 0 || !enabled_) return;
  Busy guard;
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
  if (payload_.empty()) return;
  Busy guard;
  write_frame();
}

void Emitter::write_frame() {
  if (payload_.empty() || fd_ < 0) {
    payload_.clear();
    return;
  }
  uint8_t header[wire::kHeaderSize];
  wire::fill_header(header, payload_.data(), payload_.size());
  iovec iov[2] = {{header, sizeof header}, {payload_.data(), payload_.size()}};
  size_t total = sizeof header + payload_.size();
  // The pipe is non-blocking: a reader that falls behind must not stall a
  // child forever. Wait for room for a bounded time, then drop the frame and
  // count it (the count reaches run_end.dropped_frames).
  // Once a frame had to be dropped, the reader is stuck: drop the next ones
  // at once until a write goes through again.
  int waited_ms = stalled_ ? kMaxBlockMs : 0;
  for (;;) {
    ssize_t n = ::writev(fd_, iov, 2);
    // <= PIPE_BUF bytes to a pipe: all or nothing.
    if (n == static_cast<ssize_t>(total)) {
      stalled_ = false;
      break;
    }
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && errno == EAGAIN && waited_ms < kMaxBlockMs) {
      pollfd p{fd_, POLLOUT, 0};
      ::poll(&p, 1, 10);
      waited_ms += 10;
      continue;
    }
    if (n < 0 && errno == EAGAIN) {
      count_dropped_frame();
      ++dropped_;
      stalled_ = true;
      break;
    }
    fd_ = -1;  // EPIPE or worse: the reader is gone; keep running untraced
    break;
  }
  payload_.clear();
}

}  // namespace mpviz::rt
