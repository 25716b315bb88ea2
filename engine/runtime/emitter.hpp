// The child side of the event pipe. Events are batched into frames of at
// most PIPE_BUF bytes, each written with one write() (atomic, so frames of
// many processes never interleave). A batch is flushed before anything that
// can block or end the process (the runtime calls flush() right before it
// really blocks: a free lock costs no write), when it is
// full, and when its oldest event is older than kMaxAgeNs — so live views
// stay live and a process killed while blocked has already said on what.
#pragma once
#include <vector>

#include "engine/event.hpp"

namespace mpviz::rt {

class Emitter {
 public:
  static constexpr int64_t kMaxAgeNs = 1'000'000;

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

 private:
  void write_frame();
  int fd_ = -1;
  bool enabled_ = true;
  std::vector<uint8_t> payload_;
  int64_t oldest_ns_ = 0;
};

// Kinds after which the process may block or stop: flush right away.
bool flushes_batch(EventKind k);

}  // namespace mpviz::rt
