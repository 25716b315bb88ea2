// The command line (CONTRACT, see design.md), parsed into plain options with
// no side effect: main() acts on the result, the fuzzer (tests/fuzz) feeds
// it arbitrary argument vectors.
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "app/cli_explore.hpp"
#include "app/cli_run.hpp"
#include "app/gui/gui_main.hpp"

namespace mpviz::cli {

struct CommandLine {
  enum class Command { Gui, List, Run, Export, Explore } command = Command::Gui;
  gui::GuiOptions gui;
  bool list_json = false;
  RunOptions run;
  ExploreOptions explore;
  std::string export_in, export_chrome;
};

struct ParsedCommandLine {
  std::optional<CommandLine> command;  // set when there is something to do
  int exit_code = 0;                   // otherwise: what main returns (0 help, 2 bad arguments)
  std::string out, err;                // and what it prints on stdout / stderr
};

// An error message is one line (CONTRACT), even when it quotes an argument
// that holds a line break.
std::string one_line(std::string msg);

// argv[0] is the program name, as in main().
ParsedCommandLine parse_command_line(int argc, const char* const* argv);

}  // namespace mpviz::cli
