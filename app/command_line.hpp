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

// The language of --help: English, or Chinese with `--lang zh` anywhere on
// the command line or a zh_* locale (main passes what the environment says).
enum class HelpLang { En, Zh };

struct CommandLine {
  enum class Command { Gui, List, Run, Export, Explore, Version } command = Command::Gui;
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

// The help language a locale asks for: the first set of LC_ALL, LC_MESSAGES,
// LANG (as getenv returns them, nullptr = unset) decides; zh* is Chinese.
HelpLang help_lang_from_locale(const char* lc_all, const char* lc_messages, const char* lang);

// argv[0] is the program name, as in main(). `lang` is the default help
// language; `--lang zh|en` on the command line overrides it.
ParsedCommandLine parse_command_line(int argc, const char* const* argv, HelpLang lang = HelpLang::En);

}  // namespace mpviz::cli
