// The engine side of step mode (see gate_table.hpp): hold every process
// before its next traced operation, release one (the oldest, or a chosen
// pid), or let everything run. Never blocks.
#pragma once
#include <cstdint>
#include <mutex>
#include <set>
#include <string>
#include <system_error>
#include <vector>

#include "engine/wire/event.hpp"

namespace mpviz {
namespace gate {
struct Table;
}

struct PendingOp {
  int32_t pid = 0;
  EventKind kind = EventKind::print;
  std::string obj;
  uint64_t seq = 0;  // arrival order; the smallest is the oldest
};

class StepControl {
 public:
  StepControl() = default;
  ~StepControl();
  StepControl(const StepControl&) = delete;
  StepControl& operator=(const StepControl&) = delete;

  std::error_code create(bool start_held, double speed);
  int fd() const { return fd_; }

  void hold();                  // "pause": everything stops at its next operation
  void run_free();              // "run": let everything go
  bool held() const;
  bool step_oldest();           // "step": false if nothing is pending
  bool step_pid(int32_t pid);   // "step PID": false if PID has nothing pending
  std::vector<PendingOp> pending() const;  // sorted, oldest first
  void forget(int32_t pid);     // PID has ended: free its slot
  void set_speed(double speed);  // live: sleeps and timeouts that start later use it
  uint64_t dropped_frames() const;  // frames children dropped on a full pipe

 private:
  int fd_ = -1;
  gate::Table* table_ = nullptr;
};

const char* pending_verb(EventKind k);  // "acquire", "sleep", ... for display

}  // namespace mpviz
