// mpviz: the command line (CONTRACT, see design.md) and the GUI in one binary.
// The binary is also every scenario process: `mpviz __main ...` and
// `mpviz __child ...` are hidden entry points used by the engine.
#include <CLI/CLI.hpp>
#include <cstdio>
#include <unistd.h>

#include "app/cli_export.hpp"
#include "app/cli_list.hpp"
#include "app/cli_run.hpp"
#include "app/gui/gui_main.hpp"
#include "engine/runtime/spawn_child.hpp"
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
  if (mpviz::rt::is_scenario_process(argc, argv))
    mpviz::rt::scenario_process_main(argc, argv, mpviz::scenarios::all());

  CLI::App app{"mpviz - watch Python's multiprocessing run as real OS processes"};
  app.require_subcommand(0, 1);

  mpviz::gui::GuiOptions gui;
  gui.exe = process_exe();
  auto* gui_cmd = app.add_subcommand("gui", "open the window (the default)");
  gui_cmd->add_option("--scenario", gui.scenario, "scenario to select");
  gui_cmd->add_option("--open", gui.open_recording, "recording (.jsonl) to replay");
  gui_cmd->add_flag("--autorun", gui.autorun, "press Run at start");
  gui_cmd->add_option("--speed", gui.speed, "time speed factor (0 skips sleeps)");
  gui_cmd->add_option("--lang", gui.lang, "UI language")->check(CLI::IsMember({"zh", "en"}));
  gui_cmd->add_option("--screenshot", gui.screenshot, "write a PNG of the window at --quit-after");
  gui_cmd->add_option("--quit-after", gui.quit_after, "close after this many seconds");
  gui_cmd->add_option("--bench-frames", gui.bench_frames, "draw N frames, print frame-time JSON");
  gui_cmd->add_flag("--step", gui.step, "runs start held: step one operation at a time");
  gui_cmd->add_option("--theme", gui.theme, "colour theme (default: remembered)")
      ->check(CLI::IsMember({"dark", "light"}));
  gui_cmd->add_option("--font-scale", gui.font_scale, "font size in percent, for projectors")
      ->check(CLI::Range(100, 250));

  bool list_json = false;
  auto* list_cmd = app.add_subcommand("list", "list the scenarios with titles and parameters");
  list_cmd->add_flag("--json", list_json, "machine-readable output");

  mpviz::cli::RunOptions run;
  run.exe = process_exe();
  auto* run_cmd = app.add_subcommand("run", "run a scenario headless, printing a text timeline");
  run_cmd->add_option("target", run.target, "scenario name or PROGRAM.py")->required();
  run_cmd->add_option("--method", run.method, "start method (default: fork; a .py keeps its own)")
      ->check(CLI::IsMember({"fork", "spawn"}));
  run_cmd->add_option("--speed", run.speed, "divide every duration by X (0 skips sleeps)");
  run_cmd->add_option("--set", run.sets, "KEY=VALUE: change a scenario parameter");
  run_cmd->add_option("--duration", run.duration, "stop the run after SECONDS");
  run_cmd->add_flag("--step", run.step, "hold every process before each operation");
  run_cmd->add_option("--jsonl", run.jsonl, "write the recording to FILE (- for stdout)");
  run_cmd->add_flag("--quiet", run.quiet, "no text timeline");
  run_cmd->add_flag("--no-trace", run.no_trace, "benchmarks only: do not emit events");

  std::string export_in, export_chrome;
  auto* export_cmd = app.add_subcommand("export", "convert a recording for other viewers");
  export_cmd->add_option("recording", export_in, "REC.jsonl")->required();
  export_cmd->add_option("--chrome", export_chrome, "write Chrome/Perfetto trace JSON here")
      ->required();

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    std::fprintf(stderr, "mpviz: %s (see mpviz --help)\n", e.what());
    return 2;
  }

  if (*list_cmd) return mpviz::cli::list_scenarios(list_json);
  if (*run_cmd) return mpviz::cli::run_scenario(run);
  if (*export_cmd) return mpviz::cli::export_recording(export_in, export_chrome);
  return mpviz::gui::run_gui(gui);
}
