// Waiting on a shared condition in bounded slices. A waiter never sleeps in
// the kernel for more than kWaitSliceNs at a time, so a run whose peer died
// (or was stopped) can always be noticed between slices, and timeouts are
// honoured. Boost 1.74's timed waits take absolute CLOCK_REALTIME ptimes.
#pragma once
#include <boost/interprocess/sync/interprocess_condition.hpp>
#include <boost/interprocess/sync/interprocess_mutex.hpp>
#include <boost/interprocess/sync/scoped_lock.hpp>

#include <unistd.h>

#include "engine/wire/clock.hpp"
#include "engine/runtime/shared_name.hpp"

namespace mpviz::rt {

inline constexpr int64_t kWaitSliceNs = 100'000'000;

using SharedLock = boost::interprocess::scoped_lock<boost::interprocess::interprocess_mutex>;

// Waits until pred() holds (returns true) or timeout_ns passes (returns
// false; timeout_ns < 0 waits forever). Call with `lk` held.
template <typename Pred>
bool wait_for(boost::interprocess::interprocess_condition& cv, SharedLock& lk,
              int64_t timeout_ns, Pred pred) {
  int64_t deadline = timeout_ns < 0 ? -1 : now_ns() + timeout_ns;
  while (!pred()) {
    int64_t slice = kWaitSliceNs;
    if (deadline >= 0) {
      int64_t left = deadline - now_ns();
      if (left <= 0) return false;
      if (left < slice) slice = left;
    }
    cv.timed_wait(lk, deadline_after_ns(slice));
  }
  return true;
}

// Before a waiter sleeps in the kernel it polls `ready()` for a few
// microseconds (machines with more than one CPU only). When the peer on the
// other core hands over within that time - a producer/consumer or a lock
// passed back and forth - the waiter takes it without a futex sleep and
// wake-up, each ~5-10 us on a VM. What the timeline shows is unchanged: the
// wait event was emitted (and flushed) before. `ready()` reads shared state
// without the mutex: it is only a hint, re-checked under the mutex.
inline constexpr int64_t kSpinNs = 20'000;

template <typename Ready>
bool spin_briefly(Ready ready) {
  static const bool multi_cpu = sysconf(_SC_NPROCESSORS_ONLN) > 1;
  if (!multi_cpu) return false;
  const int64_t until = now_ns() + kSpinNs;
  for (;;) {
    for (int i = 0; i < 16; ++i) {
      if (ready()) return true;
#if defined(__x86_64__) || defined(__i386__)
      __builtin_ia32_pause();
#endif
    }
    if (now_ns() > until) return false;
  }
}

// An unlocked read of a counter another process changes under its mutex.
inline int64_t peek(const int64_t& v) { return __atomic_load_n(&v, __ATOMIC_RELAXED); }

}  // namespace mpviz::rt
