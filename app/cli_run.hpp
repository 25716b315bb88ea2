#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace mpviz::cli {

struct RunOptions {
  std::string target;        // scenario name or PROGRAM.py
  std::string method;          // "" = not given (fork for scenarios)
  double speed = 1.0;
  bool speed_given = false;  // --speed was on the command line
  std::vector<std::string> sets;
  std::optional<double> duration;
  bool step = false;
  std::string jsonl;         // "" none, "-" stdout
  bool quiet = false;
  bool no_trace = false;     // benchmarks: measure the run without tracing
  // Limits (0 turns one off): processes alive at once, resident memory of
  // the run in MB (default: a quarter of RAM), MB printed.
  int max_processes = 64;
  std::optional<int64_t> max_memory_mb;
  int64_t max_output_mb = 64;
  std::string exe;           // this binary
  std::string schedule;      // replay this schedule (mpviz explore --save) instead of a free run
  std::string python;        // .py only: the interpreter ("" = MPVIZ_PYTHON, else /usr/bin/python3)
};


// `mpviz run`: 0 done, 1 the run failed, 2 bad arguments.
int run_scenario(const RunOptions& opt);

}  // namespace mpviz::cli
