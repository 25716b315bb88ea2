#pragma once
#include <cstdint>
#include <ctime>

namespace mpviz::rt {

inline int64_t now_ns() {
  timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<int64_t>(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec;
}

// Sleeps `ns` nanoseconds of wall time, resuming after signal interruptions.
void sleep_wall_ns(int64_t ns);

}  // namespace mpviz::rt
