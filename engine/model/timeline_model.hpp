// What a recording means, derived once from its time-ordered events: each
// process's lifetime, the spans when it slept, waited, held a lock or ran a
// pool task, the hand-offs between processes (pipe, queue, semaphore) and
// the counters (semaphore values, queue sizes) over time. GUI-free: the
// Chrome/Perfetto export and the GUI's timeline share it.
#pragma once
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "engine/wire/event.hpp"

namespace mpviz {

enum class SpanKind : uint8_t {
  Sleep,
  WaitLock,
  HoldLock,
  WaitSemaphore,
  WaitPut,
  WaitGet,
  WaitRecv,
  Join,
  PoolTask,
};
const char* span_name(SpanKind k);  // "sleeping", "waiting on lock", ...

struct Span {
  int32_t pid = 0;
  SpanKind kind = SpanKind::Sleep;
  int64_t begin = 0, end = 0;
  bool open = false;   // still going when the recording ends
  std::string obj;     // lock / semaphore / queue / pipe name; join target; pool func
  std::string detail;  // e.g. "seconds=0.1", "task 3", "timed out"
};

enum class FlowKind : uint8_t { Pipe, Queue, Semaphore };

struct Flow {
  FlowKind kind = FlowKind::Pipe;
  int32_t from_pid = 0, to_pid = 0;
  int64_t t_from = 0, t_to = 0;
  std::string obj, item;
};

struct CounterPoint {
  int64_t t = 0;
  int64_t value = 0;
};

// A value_write that was lost (design.md): the value it replaced had been
// written by another process after this one last read the object.
struct LostUpdate {
  int32_t pid = 0;          // the writer whose update overwrote another's
  int64_t t = 0;
  std::string obj;          // value_key: "counter", "arr[2]"
  std::string value;        // what it wrote
  int32_t over_pid = 0;     // the last writer before it (0: unknown)
  std::string over_value;   // what that writer had written
};

// Shared state (value_read / value_write): "counter", or "arr[2]" for an
// Array element; the value as text ("5", "0.5", "abc").
std::string value_key(const Event& e);
std::string value_text(const Event& e);

struct ProcessLife {
  int32_t pid = 0, ppid = 0;
  std::string name;
  bool daemon = false, spawn = false;
  int64_t t_start = 0, t_end = -1;  // -1: alive at the end of the recording
  bool killed = false;
  int64_t code_or_signal = 0;
  std::string killed_by;
};

struct TimelineModel {
  std::vector<ProcessLife> processes;  // in start order
  std::vector<Span> spans;             // sorted by begin
  std::vector<Flow> flows;
  std::map<std::string, std::vector<CounterPoint>> semaphores, queues;
  std::map<std::string, int64_t> queue_maxsize;
  // Shared values over time (each write; numbers, a float rounded down) and
  // the lost updates, in time order.
  std::map<std::string, std::vector<CounterPoint>> values;
  std::vector<LostUpdate> lost_updates;
  int64_t t_end = 0;
};

// `events` must be sorted by t_ns (a recording, or a normalised live log).
TimelineModel build_timeline(const std::vector<Event>& events);

}  // namespace mpviz
