// mpviz-proc: the small, GUI-free binary that the engine execs for every
// scenario process (main, spawned children) and for the run's janitor.
// Exec'ing it instead of the full GUI binary (fewer shared libraries to map
// and relocate) makes each process start several milliseconds cheaper.
#include <cstdio>

#include "engine/control/entry_points.hpp"
#include "scenarios/registry.hpp"

int main(int argc, char** argv) {
  if (mpviz::is_hidden_entry(argc, argv))
    mpviz::hidden_entry_main(argc, argv, mpviz::scenarios::all());
  std::fprintf(stderr, "mpviz-proc: an internal helper of mpviz; run mpviz instead\n");
  return 2;
}
