// mpviz: the command line (CONTRACT, see design.md) and the GUI in one binary.
// The binary is also every scenario process: `mpviz __main ...` and
// `mpviz __child ...` are hidden entry points used by the engine.
#include <cstdio>
#include <unistd.h>

#include "app/cli_export.hpp"
#include "app/cli_list.hpp"
#include "app/cli_run.hpp"
#include "app/command_line.hpp"
#include "app/gui/gui_main.hpp"
#include "engine/control/entry_points.hpp"
#include "scenarios/registry.hpp"

namespace {

std::string self_exe() {
  char buf[4096];
  ssize_t n = readlink("/proc/self/exe", buf, sizeof buf - 1);
  if (n <= 0) return "/proc/self/exe";
  buf[n] = 0;
  return buf;
}

// The binary to exec for scenario processes: the small mpviz-proc beside
// this one if it is there, else this binary (it has the same entry points).
std::string process_exe() {
  std::string self = self_exe();
  auto slash = self.rfind('/');
  std::string sibling = (slash == std::string::npos ? std::string() : self.substr(0, slash + 1)) + "mpviz-proc";
  return access(sibling.c_str(), X_OK) == 0 ? sibling : self;
}

}  // namespace

int main(int argc, char** argv) {
  if (mpviz::is_hidden_entry(argc, argv))
    mpviz::hidden_entry_main(argc, argv, mpviz::scenarios::all());

  // Parsing is a pure function (app/command_line.cpp), fuzzed in tests/fuzz.
  auto parsed = mpviz::cli::parse_command_line(argc, argv);
  if (!parsed.command) {
    std::fputs(parsed.out.c_str(), stdout);
    std::fputs(parsed.err.c_str(), stderr);
    return parsed.exit_code;
  }
  auto& cl = *parsed.command;
  cl.gui.exe = cl.run.exe = cl.explore.run.exe = process_exe();
  using Command = mpviz::cli::CommandLine::Command;
  switch (cl.command) {
    case Command::List: return mpviz::cli::list_scenarios(cl.list_json);
    case Command::Run: return mpviz::cli::run_scenario(cl.run);
    case Command::Export: return mpviz::cli::export_recording(cl.export_in, cl.export_chrome);
    case Command::Explore: return mpviz::cli::explore_command(cl.explore);
    case Command::Gui: break;
  }
  return mpviz::gui::run_gui(cl.gui);
}
