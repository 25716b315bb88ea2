#include "app/command_line.hpp"

#include <CLI/CLI.hpp>
#include <sstream>

namespace mpviz::cli {

std::string one_line(std::string msg) {
  for (char& c : msg)
    if (c == '\n' || c == '\r') c = ' ';
  return msg;
}

ParsedCommandLine parse_command_line(int argc, const char* const* argv) {
  CLI::App app{"mpviz - watch Python's multiprocessing run as real OS processes"};
  app.require_subcommand(0, 1);
  CommandLine cl;

  auto& gui = cl.gui;
  auto* gui_cmd = app.add_subcommand("gui", "open the window (the default)");
  gui_cmd->add_option("--scenario", gui.scenario, "scenario to select");
  gui_cmd->add_option("--open", gui.open_recording, "recording (.jsonl) to replay, or Python program (.py) to run");
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

  auto* list_cmd = app.add_subcommand("list", "list the scenarios with titles and parameters");
  list_cmd->add_flag("--json", cl.list_json, "machine-readable output");

  auto& run = cl.run;
  auto* run_cmd = app.add_subcommand("run", "run a scenario headless, printing a text timeline");
  run_cmd->add_option("target", run.target, "scenario name or PROGRAM.py")->required();
  run_cmd->add_option("--method", run.method,
                      "start method (default: fork; a .py keeps its own; forkserver: .py only)")
      ->check(CLI::IsMember({"fork", "spawn", "forkserver"}));
  run_cmd->add_option("--speed", run.speed, "divide every duration by X (0 skips sleeps)");
  run_cmd->add_option("--set", run.sets, "KEY=VALUE: change a scenario parameter");
  run_cmd->add_option("--duration", run.duration, "stop the run after SECONDS");
  run_cmd->add_flag("--step", run.step, "hold every process before each operation");
  run_cmd->add_option("--jsonl", run.jsonl, "write the recording to FILE (- for stdout)");
  run_cmd->add_flag("--quiet", run.quiet, "no text timeline");
  run_cmd->add_flag("--no-trace", run.no_trace, "benchmarks only: do not emit events");
  run_cmd->add_option("--max-processes", run.max_processes,
                      "stop the run when more than N processes besides main are alive (default 64, 0: no limit)")
      ->check(CLI::Range(0, 100000));
  run_cmd->add_option("--max-memory", run.max_memory_mb,
                      "stop the run when its processes use more than MB of memory (default: a quarter of RAM, 0: no limit)")
      ->check(CLI::Range(int64_t{0}, int64_t{1} << 30));
  run_cmd->add_option("--max-output", run.max_output_mb,
                      "stop the run when it has printed more than MB (default 64, 0: no limit)")
      ->check(CLI::Range(int64_t{0}, int64_t{1} << 30));

  auto* export_cmd = app.add_subcommand("export", "convert a recording for other viewers");
  export_cmd->add_option("recording", cl.export_in, "REC.jsonl")->required();
  export_cmd->add_option("--chrome", cl.export_chrome, "write Chrome/Perfetto trace JSON here")
      ->required();

  ParsedCommandLine res;
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    std::ostringstream out, err;
    res.exit_code = app.exit(e, out, err);
    res.out = out.str();
    res.err = err.str();
    return res;
  } catch (const CLI::CallForAllHelp& e) {
    std::ostringstream out, err;
    res.exit_code = app.exit(e, out, err);
    res.out = out.str();
    res.err = err.str();
    return res;
  } catch (const CLI::ParseError& e) {
    res.exit_code = 2;
    res.err = one_line(std::string("mpviz: ") + e.what() + " (see mpviz --help)") + "\n";
    return res;
  }
  if (*list_cmd) cl.command = CommandLine::Command::List;
  else if (*run_cmd) cl.command = CommandLine::Command::Run;
  else if (*export_cmd) cl.command = CommandLine::Command::Export;
  else cl.command = CommandLine::Command::Gui;
  res.command = std::move(cl);
  return res;
}

}  // namespace mpviz::cli
