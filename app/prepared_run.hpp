// A run checked and ready to start, shared by `mpviz run` and `mpviz
// explore`: the engine's request and the recording's header, built from the
// command line's options with every check done before a process starts.
#pragma once
#include "app/cli_run.hpp"
#include "engine/control/supervisor.hpp"
#include "engine/recording/recording.hpp"

namespace mpviz::cli {

struct PreparedRun {
  RunRequest req;
  RecordingHeader header;
};
// 0 with `out` filled, or 2 after printing the one-line message (CONTRACT).
int prepare_run(const RunOptions& opt, PreparedRun& out);

}  // namespace mpviz::cli
