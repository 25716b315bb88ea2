// The child side of the event pipe: encodes events into frames and writes
// each frame with one write() (atomic for <= PIPE_BUF bytes).
#pragma once
#include "engine/event.hpp"

namespace mpviz::rt {

class Emitter {
 public:
  void attach(int fd) { fd_ = fd; }
  int fd() const { return fd_; }
  // Stamps pid and (if zero) the time, then writes the event. Never throws;
  // a closed reader (EPIPE) silently disables emission.
  void emit(Event e);

 private:
  int fd_ = -1;
};

}  // namespace mpviz::rt
