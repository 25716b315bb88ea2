// The state of a run's synchronisation objects and processes at one instant:
// who holds each lock and who waits for it, each semaphore's count, each
// queue's items, each pipe's messages in flight, and what each process is
// doing. Built by applying events in time order; the replay model keeps
// checkpoints of it so any instant of a long recording is quick to get.
#pragma once
#include <cstdint>
#include <deque>
#include <map>
#include <string>
#include <vector>

#include "engine/wire/event.hpp"

namespace mpviz {

enum class ProcState : uint8_t {
  Running,
  Sleeping,
  WaitingLock,
  WaitingSemaphore,
  WaitingPut,
  WaitingGet,
  WaitingRecv,
  Joining,
  Exited,
  Killed,
};
const char* proc_state_name(ProcState s);

struct ProcView {
  std::string name;
  int32_t ppid = 0;
  ProcState state = ProcState::Running;
  std::string on;     // object waited on / join target
  int64_t code = 0;   // exit code or signal
  bool operator==(const ProcView&) const = default;
};

struct LockView {
  int32_t owner = 0;              // 0: free
  bool owner_dead = false;        // held by a process that has died
  std::vector<int32_t> waiters;   // in arrival order
  bool operator==(const LockView&) const = default;
};

struct SemView {
  int64_t value = 0;
  std::vector<int32_t> waiters;
  bool operator==(const SemView&) const = default;
};

struct QueueView {
  std::deque<std::string> items;
  int64_t maxsize = 0;
  bool operator==(const QueueView&) const = default;
};

// A shared Value (or Array element) now: its value and who wrote it last.
struct ValueView {
  std::string value;        // as text
  int32_t last_writer = 0;  // 0: not written yet
  int64_t writes = 0, lost = 0;
  bool operator==(const ValueView&) const = default;
};

struct SyncState {
  int64_t t = 0;  // time of the last applied event
  std::map<int32_t, ProcView> processes;
  std::map<std::string, LockView> locks;
  std::map<std::string, SemView> semaphores;
  std::map<std::string, QueueView> queues;
  std::map<std::string, ValueView> values;  // by value_key: "counter", "arr[2]"
  // Messages sent and not yet received, per pipe and receiving end.
  std::map<std::pair<std::string, int>, std::deque<std::string>> pipes;
  bool operator==(const SyncState&) const = default;

  void apply(const Event& e);
};

}  // namespace mpviz
