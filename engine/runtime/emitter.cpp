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

void Emitter::emit(Event e) {
  if (fd_ < 0) return;
  if (e.t_ns == 0) e.t_ns = now_ns();
  if (e.text.size() > wire::kMaxStringField) {
    e.text.resize(wire::kMaxStringField - 3);
    e.text += "...";
  }
  auto frame = wire::encode_single(e);
  const uint8_t* p = frame.data();
  size_t left = frame.size();
  while (left > 0) {
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
