// The child side of the event pipe. Events are batched into frames of at
// most PIPE_BUF bytes, each written with one writev() (atomic for a pipe, so
// frames of many processes never interleave). A batch is flushed right
// before the process really blocks (the runtime calls flush(): a free lock
// costs no write), when it is full, when its oldest event is older than
// kMaxAgeNs, at fork and at exit — so live views stay live and a process
// killed while blocked has already said on what. A SIGTERM (stop, terminate,
// a parent's exit) flushes what is pending before the process dies: the
// flush allocates nothing and is async-signal-safe.
#pragma once
#include <cstdint>
#include <vector>

#include "engine/wire/event.hpp"

namespace mpviz::rt {

class Emitter {
 public:
  static constexpr int64_t kMaxAgeNs = 1'000'000;
  // Longest a child waits for room in a full event pipe before dropping.
  static constexpr int kMaxBlockMs = 1000;

  Emitter();
  void attach(int fd) { fd_ = fd; }
  int fd() const { return fd_; }
  // Stamps the time if zero and queues the event. Never throws; a closed
  // reader (EPIPE) silently disables emission.
  void emit(Event e);
  void flush();
  // In a freshly forked child: the parent's unflushed bytes are not ours.
  void drop_pending() { payload_.clear(); }
  // Benchmarks only: skip tracing entirely.
  void set_enabled(bool on) { enabled_ = on; }

  // Make SIGTERM flush this emitter's batch, then die of SIGTERM as before.
  void install_term_flush();

 private:
  struct Busy;
  void write_frame();  // async-signal-safe when not racing emit()
  static void on_term(int sig);
  int fd_ = -1;
  bool enabled_ = true;
  std::vector<uint8_t> payload_;  // capacity reserved up front: never reallocates
  int64_t oldest_ns_ = 0;
  bool stalled_ = false;
  uint64_t dropped_ = 0;

 public:
  uint64_t dropped() const { return dropped_; }
};

// Kinds after which the process may block or stop: flush right away.
bool flushes_batch(EventKind k);

}  // namespace mpviz::rt
