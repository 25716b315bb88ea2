// Export a recording as Chrome trace-event JSON (opens in ui.perfetto.dev and
// chrome://tracing): a process track per process, X slices for states, C
// counters for semaphore values and queue sizes, s/f flows for pipe, queue
// and semaphore hand-offs, instant events for prints.
#pragma once
#include <string>

#include "engine/recording/recording.hpp"

namespace mpviz {

std::string to_chrome_json(const Recording& rec);

namespace detail {
// The nlohmann-tree version to_chrome_json must match byte for byte (tests).
std::string to_chrome_json_reference(const Recording& rec);
}  // namespace detail

}  // namespace mpviz
