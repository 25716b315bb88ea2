// `mpviz explore`: run a scenario or program many times on real processes,
// choosing the order of their operations by a strategy, and group the runs
// by outcome (CONTRACT: ../shared/design.md).
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "app/cli_run.hpp"

namespace mpviz::cli {

struct ExploreOptions {
  RunOptions run;            // target, method, sets, speed (default 0 here), exe
  int runs = 20;
  int jobs = 1;
  std::string perturb = "random";  // none / random / pct
  int pct_depth = 3;
  bool systematic = false;
  int max_schedules = 200;
  uint64_t seed = 1;
  std::string save;          // DIR: a recording and a schedule per distinct outcome
  bool json = false;
  double run_timeout = 20;   // seconds a single run may take
};

// 0 done (whatever the outcomes), 1 no run could be made, 2 bad arguments.
int explore_command(const ExploreOptions& opt);

}  // namespace mpviz::cli
