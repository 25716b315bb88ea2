// Waiting on a shared condition in bounded slices. A waiter never sleeps in
// the kernel for more than kWaitSliceNs at a time, so a run whose peer died
// (or was stopped) can always be noticed between slices, and timeouts are
// honoured. Boost 1.74's timed waits take absolute CLOCK_REALTIME ptimes.
#pragma once
#include <boost/interprocess/sync/interprocess_condition.hpp>
#include <boost/interprocess/sync/interprocess_mutex.hpp>
#include <boost/interprocess/sync/scoped_lock.hpp>

#include "engine/runtime/clock.hpp"
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

}  // namespace mpviz::rt
