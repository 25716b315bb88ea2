// The child side of step mode: every traced operation passes a gate first.
// When the run is not held, passing costs one atomic load.
#pragma once
#include <string>

#include "engine/wire/event.hpp"

namespace mpviz::rt {

// Maps the run's gate table (fd inherited from the supervisor); -1: no gate.
void attach_gate(int fd);
// Blocks while the engine holds this process before `kind` on `obj`.
// Returns true if the process was held (step mode: sleeps take no wall time).
bool pass_gate(EventKind kind, const std::string& obj = {});
// Forget this process's slot (a forked child starts without one).
void reset_gate_slot();
// Give the slot back (the process is about to exit).
void release_gate_slot();
// The run's current speed as set by the engine (live), or `fallback`.
double live_speed(double fallback);
// Counts a frame dropped because the event pipe stayed full (async-signal-safe).
void count_dropped_frame();

}  // namespace mpviz::rt
