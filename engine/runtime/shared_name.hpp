// A fixed-size object name that can live in shared memory, plus a timed lock
// helper for Boost.Interprocess mutexes (which take absolute ptime deadlines).
#pragma once
#include <boost/date_time/posix_time/posix_time_types.hpp>
#include <boost/interprocess/sync/interprocess_mutex.hpp>
#include <cstdint>
#include <cstring>
#include <string>

namespace mpviz::rt {

struct SharedName {
  char text[40] = {};
  void set(const std::string& s) {
    std::memset(text, 0, sizeof text);
    std::memcpy(text, s.data(), s.size() < sizeof text - 1 ? s.size() : sizeof text - 1);
  }
  std::string get() const { return std::string(text); }
};

inline boost::posix_time::ptime deadline_after_ns(int64_t ns) {
  return boost::posix_time::microsec_clock::universal_time() +
         boost::posix_time::microseconds(ns / 1000);
}

inline bool timed_lock(boost::interprocess::interprocess_mutex& m, int64_t ns) {
  if (ns <= 0) return m.try_lock();
  return m.timed_lock(deadline_after_ns(ns));
}

}  // namespace mpviz::rt
