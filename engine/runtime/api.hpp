// The runtime's free functions, mirroring time.sleep, print and os.getpid as
// a scenario uses them. Each traced call emits its events.
#pragma once
#include <string>
#include <sys/types.h>

#include "engine/scenario/params.hpp"
#include "engine/scenario/args.hpp"

namespace mpviz::rt {

void sleep(double seconds);          // scenario seconds, scaled by --speed
void print(const std::string& text);  // one console line of this process
pid_t getpid();
const ParamValues& params();

// Runs a registered entry point of the current scenario (used by Process).
void run_entry(const std::string& entry, const Args& args);

}  // namespace mpviz::rt
