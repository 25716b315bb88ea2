// The recording format (CONTRACT, see design.md): one JSON object per line,
// a header first, then events ordered by t_ns.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "engine/wire/event.hpp"
#include "engine/scenario/params.hpp"

namespace mpviz {

inline constexpr int kRecordingVersion = 1;

struct RecordingHeader {
  std::string scenario;
  std::string method = "fork";
  std::vector<std::pair<std::string, ParamValue>> params;  // in key order
  int64_t started_unix_ms = 0;
};

struct Recording {
  RecordingHeader header;
  std::vector<Event> events;
};

// Turns the events of a run, as they arrived, into the recording's order and
// shape: sorted by time; one end event per process (the process's own
// process_exit is preferred to the reaper's observation, which is later);
// kills after a stop request attributed to "stop"; run_end last.
void normalize_recording(std::vector<Event>& evs, std::optional<int64_t> stop_t_ns);

// Python mode: the start method the run really used, that of the first
// process the program started (its own set_start_method or get_context
// included; CPython's helper processes aside); `fallback` if none.
std::string method_used(const std::vector<Event>& evs, const std::string& fallback);

std::string header_to_json_line(const RecordingHeader& h);
std::string event_to_json_line(const Event& e);
std::string to_jsonl(const Recording& r);

struct LoadResult {
  std::optional<Recording> recording;
  std::string error;    // set when recording is empty: "line N: what is wrong"
  std::string warning;  // e.g. a torn last line that was skipped
};
LoadResult parse_jsonl(const std::string& text);
LoadResult load_jsonl_file(const std::string& path);

// The reference implementations the fast paths must agree with byte for byte
// (nlohmann for every line / every event). For tests and the fuzzer only.
namespace detail {
LoadResult parse_jsonl_reference(const std::string& text);
std::string event_to_json_line_reference(const Event& e);
}  // namespace detail

}  // namespace mpviz
