// mpviz: the command line (CONTRACT, see design.md) and the GUI in one binary.
// The binary is also every scenario process: `mpviz __main ...` and
// `mpviz __child ...` are hidden entry points used by the engine.
#include <cstdio>
#include <cstdlib>
#include <unistd.h>

#include "app/build_info.hpp"
#include "app/cli_export.hpp"
#include "app/cli_list.hpp"
#include "app/cli_run.hpp"
#include "app/command_line.hpp"
#include "app/data_dir.hpp"
#include "app/gui/gui_main.hpp"
#include "engine/control/entry_points.hpp"
#include "scenarios/registry.hpp"

namespace {

std::string self_exe() {
  std::string self = mpviz::self_exe_path();
  return self.empty() ? "/proc/self/exe" : self;
}

#ifndef MPVIZ_LIBEXEC_REL
#define MPVIZ_LIBEXEC_REL "../libexec/mpviz"
#endif

// The binary to exec for scenario processes: the small mpviz-proc beside
// this one (build tree) or in PREFIX/libexec/mpviz (installed) if it is
// there, else this binary (it has the same entry points).
std::string process_exe() {
  std::string self = self_exe();
  auto slash = self.rfind('/');
  const std::string dir = slash == std::string::npos ? std::string() : self.substr(0, slash + 1);
  for (const std::string& helper : {dir + "mpviz-proc", dir + MPVIZ_LIBEXEC_REL "/mpviz-proc"})
    if (access(helper.c_str(), X_OK) == 0) return helper;
  return self;
}

}  // namespace

int main(int argc, char** argv) {
  if (mpviz::is_hidden_entry(argc, argv))
    mpviz::hidden_entry_main(argc, argv, mpviz::scenarios::all());

  // Parsing is a pure function (app/command_line.cpp), fuzzed in tests/fuzz.
  // The environment only chooses the help language (zh_* locales: Chinese).
  const auto help_lang = mpviz::cli::help_lang_from_locale(std::getenv("LC_ALL"), std::getenv("LC_MESSAGES"),
                                                           std::getenv("LANG"));
  auto parsed = mpviz::cli::parse_command_line(argc, argv, help_lang);
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
    case Command::Version: std::fputs(mpviz::version_report().c_str(), stdout); return 0;
    case Command::Gui: break;
  }
  return mpviz::gui::run_gui(cl.gui);
}
