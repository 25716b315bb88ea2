#include "app/command_line.hpp"

#include <CLI/CLI.hpp>
#include <cstring>
#include <sstream>

namespace mpviz::cli {
namespace {

// Every help text in English and Chinese. The option names, the value names
// (TEXT, FLOAT) and CLI11's own error messages stay English.
struct Text {
  const char* en;
  const char* zh;
};

constexpr Text kApp{"mpviz - watch Python's multiprocessing run as real OS processes",
                    "mpviz —— 看 Python 的 multiprocessing 在真实的操作系统进程上运行"};
constexpr Text kFooter{
    "With no subcommand, mpviz opens the window.\n"
    "Exit codes: 0 done, 1 the run failed, 2 bad arguments (one-line message).\n"
    "'mpviz SUBCOMMAND --help' shows a subcommand's options; '--lang zh' shows them in Chinese.",
    "不带子命令时，mpviz 打开窗口。\n"
    "退出码：0 完成，1 运行失败，2 参数错误（一行说明）。\n"
    "'mpviz 子命令 --help' 显示子命令的选项；'--lang en' 显示英文帮助。"};
constexpr Text kHelp{"print this help and exit", "显示本帮助并退出"};
constexpr Text kVersionFlag{"print the version and exit", "显示版本并退出"};
constexpr Text kLangTop{"language of the help and of the window: zh or en (default: from LANG)",
                        "帮助和窗口的语言：zh 或 en（默认取自 LANG）"};

constexpr Text kGui{"open the window (the default)", "打开窗口（默认）"};
constexpr Text kGuiFile{"recording (.jsonl, .mpvt) to replay or Python program (.py) to run, as --open",
                        "要回放的记录（.jsonl、.mpvt）或要运行的 Python 程序（.py），同 --open"};
constexpr Text kScenario{"scenario to select", "要选中的场景"};
constexpr Text kOpen{"recording (.jsonl) to replay, or Python program (.py) to run",
                     "要回放的记录（.jsonl）或要运行的 Python 程序（.py）"};
constexpr Text kAutorun{"press Run at start", "启动后立即运行"};
constexpr Text kGuiExplore{"open the Explore tab and explore N runs at start", "打开“探索”页，启动后立即探索 N 次"};
constexpr Text kGuiExploreReplay{"--explore: then replay outcome K's schedule live (1: the most common)",
                                 "--explore：探索结束后实时重放第 K 种结果的调度（1：最常见的）"};
constexpr Text kGuiExploreStrategy{"--explore: random, pct or systematic", "--explore 的策略：random、pct 或 systematic"};
constexpr Text kGuiSpeed{"time speed factor (0 skips sleeps)", "时间倍速（0 跳过 sleep）"};
constexpr Text kLang{"UI language", "界面语言"};
constexpr Text kScreenshot{"write a PNG of the window at --quit-after", "在 --quit-after 时把窗口存为 PNG"};
constexpr Text kQuitAfter{"close after this many seconds", "这么多秒后关闭窗口"};
constexpr Text kBenchFrames{"draw N frames, print frame-time JSON", "绘制 N 帧，输出帧时间 JSON"};
constexpr Text kGuiStep{"runs start held: step one operation at a time", "运行开始即暂停：一次执行一个操作"};
constexpr Text kTheme{"colour theme (default: remembered)", "配色主题（默认：上次的选择）"};
constexpr Text kFontScale{"font size in percent, for projectors", "字体大小（百分比），用于投影"};

constexpr Text kList{"list the scenarios with titles and parameters", "列出场景及其标题和参数"};
constexpr Text kListJson{"machine-readable output", "输出 JSON（供程序读取）"};

constexpr Text kRun{"run a scenario headless, printing a text timeline", "不开窗口运行场景，输出文字时间线"};
constexpr Text kTarget{"scenario name or PROGRAM.py", "场景名或 PROGRAM.py"};
constexpr Text kMethod{"start method (default: fork; a .py keeps its own; forkserver: .py only)",
                       "启动方式（默认 fork；.py 保留自己的设置；forkserver 仅用于 .py）"};
constexpr Text kRunSpeed{"divide every duration by X (0 skips sleeps)", "所有时长除以 X（0 跳过 sleep）"};
constexpr Text kSet{"KEY=VALUE: change a scenario parameter", "KEY=VALUE：修改场景参数"};
constexpr Text kDuration{"stop the run after SECONDS", "SECONDS 秒后停止运行"};
constexpr Text kRunStep{"hold every process before each operation", "每个进程在每个操作前暂停"};
constexpr Text kJsonl{"write the recording to FILE (- for stdout)", "把记录写入 FILE（- 表示标准输出）"};
constexpr Text kQuiet{"no text timeline", "不输出文字时间线"};
constexpr Text kNoTrace{"benchmarks only: do not emit events", "仅用于基准测试：不产生事件"};

constexpr Text kPython{"PROGRAM.py only: run it under this CPython 3.8+ (default: $MPVIZ_PYTHON, else /usr/bin/python3)",
                       "仅用于 PROGRAM.py：用这个 CPython 3.8+ 运行（默认：$MPVIZ_PYTHON，否则 /usr/bin/python3）"};
constexpr Text kSchedule{"replay a schedule saved by `mpviz explore --save` on real processes",
                         "在真实进程上重放 `mpviz explore --save` 保存的调度"};
constexpr Text kExplore{"run many times in different orders and group the runs by outcome",
                        "以不同的顺序运行多次，按结果分组"};
constexpr Text kRuns{"how many runs (default 20)", "运行次数（默认 20）"};
constexpr Text kJobs{"runs at once (default 1)", "同时进行的运行数（默认 1）"};
constexpr Text kPerturb{"who goes next at each operation: none (the OS decides), random, pct",
                        "每次操作时谁先走：none（由操作系统决定）、random、pct"};
constexpr Text kPctDepth{"pct: ordering constraints to aim for (default 3)", "pct：要覆盖的顺序约束个数（默认 3）"};
constexpr Text kSystematic{"enumerate the schedules depth-first (small runs), equivalent orders once",
                           "深度优先枚举所有调度（小程序），等价的顺序只跑一次"};
constexpr Text kMaxSchedules{"--systematic: at most this many runs", "--systematic：最多运行这么多次"};
constexpr Text kSeed{"seed of the first run (run i uses seed + i)", "第一次运行的随机种子（第 i 次用 seed + i）"};
constexpr Text kExploreMethod{"start method", "启动方式"};
constexpr Text kExploreSpeed{"divide every duration by X (default 0: skip sleeps)", "所有时长除以 X（默认 0：跳过 sleep）"};
constexpr Text kRunTimeout{"seconds one run may take (default 20)", "单次运行的时限，秒（默认 20）"};
constexpr Text kSave{"DIR: keep a recording and a schedule per distinct outcome", "目录：每种结果保存一份记录和一份调度"};
constexpr Text kExploreJson{"one JSON object instead of the table", "输出一个 JSON 对象而不是表格"};

constexpr Text kExport{"convert a recording for other viewers", "把记录转换给其他查看器"};
constexpr Text kRecording{"REC.jsonl", "记录文件 REC.jsonl"};
constexpr Text kChrome{"write Chrome/Perfetto trace JSON here", "写出 Chrome/Perfetto 追踪 JSON"};

constexpr Text kVersion{"print the version, the git commit, the libraries and the Python used",
                        "显示版本、git 提交、所用的库和 Python"};

// `--lang zh|en` (or --lang=...) anywhere: the help language. Tolerant on
// purpose: a bad value is reported by the parser, not here.
HelpLang lang_from_args(int argc, const char* const* argv, HelpLang def) {
  for (int i = 1; i < argc && argv[i]; ++i) {
    const char* v = nullptr;
    if (std::strcmp(argv[i], "--lang") == 0 && i + 1 < argc && argv[i + 1]) v = argv[i + 1];
    else if (std::strncmp(argv[i], "--lang=", 7) == 0) v = argv[i] + 7;
    if (v && std::strcmp(v, "zh") == 0) def = HelpLang::Zh;
    if (v && std::strcmp(v, "en") == 0) def = HelpLang::En;
  }
  return def;
}

}  // namespace

std::string one_line(std::string msg) {
  for (char& c : msg)
    if (c == '\n' || c == '\r') c = ' ';
  return msg;
}

HelpLang help_lang_from_locale(const char* lc_all, const char* lc_messages, const char* lang) {
  for (const char* v : {lc_all, lc_messages, lang})
    if (v && *v) return std::strncmp(v, "zh", 2) == 0 ? HelpLang::Zh : HelpLang::En;
  return HelpLang::En;
}

ParsedCommandLine parse_command_line(int argc, const char* const* argv, HelpLang lang_default) {
  const bool zh = lang_from_args(argc, argv, lang_default) == HelpLang::Zh;
  auto t = [zh](const Text& x) { return std::string(zh ? x.zh : x.en); };

  CLI::App app{t(kApp), "mpviz"};
  if (zh) {
    auto fmt = app.get_formatter();
    fmt->label("Usage", "用法");
    fmt->label("OPTIONS", "选项");
    fmt->label("SUBCOMMAND", "子命令");
    fmt->label("SUBCOMMANDS", "子命令");
    fmt->label("Positionals", "位置参数");
    fmt->label("REQUIRED", "必需");
    fmt->column_width(36);
    app.option_defaults()->group("选项");
  }
  app.set_help_flag("-h,--help", t(kHelp));
  app.footer(t(kFooter));
  app.require_subcommand(0, 1);
  CommandLine cl;

  bool version_flag = false;
  std::string top_lang;
  app.add_flag("--version", version_flag, t(kVersionFlag));
  app.add_option("--lang", top_lang, t(kLangTop))->check(CLI::IsMember({"zh", "en"}));

  const std::string sub_group = zh ? "子命令" : "Subcommands";
  auto sub = [&](const char* name, const Text& desc) {
    CLI::App* c = app.add_subcommand(name, t(desc));
    c->group(sub_group);
    c->set_help_flag("-h,--help", t(kHelp));
    return c;
  };

  auto& gui = cl.gui;
  std::string gui_file;
  auto* gui_cmd = sub("gui", kGui);
  gui_cmd->add_option("file", gui_file, t(kGuiFile));
  gui_cmd->add_option("--scenario", gui.scenario, t(kScenario));
  gui_cmd->add_option("--open", gui.open_recording, t(kOpen));
  gui_cmd->add_flag("--autorun", gui.autorun, t(kAutorun));
  gui_cmd->add_option("--explore", gui.explore, t(kGuiExplore))->check(CLI::Range(1, 1000));
  gui_cmd->add_option("--explore-replay", gui.explore_replay, t(kGuiExploreReplay))->check(CLI::Range(1, 1000));
  gui_cmd->add_option("--explore-strategy", gui.explore_strategy, t(kGuiExploreStrategy))
      ->check(CLI::IsMember({"random", "pct", "systematic"}));
  gui_cmd->add_option("--speed", gui.speed, t(kGuiSpeed));
  gui_cmd->add_option("--lang", gui.lang, t(kLang))->check(CLI::IsMember({"zh", "en"}));
  gui_cmd->add_option("--screenshot", gui.screenshot, t(kScreenshot));
  gui_cmd->add_option("--quit-after", gui.quit_after, t(kQuitAfter));
  gui_cmd->add_option("--bench-frames", gui.bench_frames, t(kBenchFrames));
  gui_cmd->add_flag("--step", gui.step, t(kGuiStep));
  gui_cmd->add_option("--theme", gui.theme, t(kTheme))->check(CLI::IsMember({"dark", "light"}));
  gui_cmd->add_option("--font-scale", gui.font_scale, t(kFontScale))->check(CLI::Range(100, 250));

  auto* list_cmd = sub("list", kList);
  list_cmd->add_flag("--json", cl.list_json, t(kListJson));

  auto& run = cl.run;
  auto* run_cmd = sub("run", kRun);
  run_cmd->add_option("target", run.target, t(kTarget))->required();
  run_cmd->add_option("--method", run.method, t(kMethod))
      ->check(CLI::IsMember({"fork", "spawn", "forkserver"}));
  run_cmd->add_option("--speed", run.speed, t(kRunSpeed));
  run_cmd->add_option("--set", run.sets, t(kSet));
  run_cmd->add_option("--duration", run.duration, t(kDuration));
  run_cmd->add_flag("--step", run.step, t(kRunStep));
  run_cmd->add_option("--jsonl", run.jsonl, t(kJsonl));
  run_cmd->add_flag("--quiet", run.quiet, t(kQuiet));
  run_cmd->add_flag("--no-trace", run.no_trace, t(kNoTrace));
  run_cmd->add_option("--schedule", run.schedule, t(kSchedule));
  run_cmd->add_option("--python", run.python, t(kPython));
  run_cmd->add_option("--max-processes", run.max_processes,
                      "stop the run when more than N processes besides main are alive (default 64, 0: no limit)")
      ->check(CLI::Range(0, 100000));
  run_cmd->add_option("--max-memory", run.max_memory_mb,
                      "stop the run when its processes use more than MB of memory (default: a quarter of RAM, 0: no limit)")
      ->check(CLI::Range(int64_t{0}, int64_t{1} << 30));
  run_cmd->add_option("--max-output", run.max_output_mb,
                      "stop the run when it has printed more than MB (default 64, 0: no limit)")
      ->check(CLI::Range(int64_t{0}, int64_t{1} << 30));

  auto& ex = cl.explore;
  ex.run.speed = 0;  // explore skips sleeps unless told: the order is what it varies
  auto* explore_cmd = sub("explore", kExplore);
  explore_cmd->add_option("target", ex.run.target, t(kTarget))->required();
  explore_cmd->add_option("--runs", ex.runs, t(kRuns));
  explore_cmd->add_option("--jobs", ex.jobs, t(kJobs));
  explore_cmd->add_option("--perturb", ex.perturb, t(kPerturb))->check(CLI::IsMember({"none", "random", "pct"}));
  explore_cmd->add_option("--pct-depth", ex.pct_depth, t(kPctDepth));
  explore_cmd->add_flag("--systematic", ex.systematic, t(kSystematic));
  explore_cmd->add_option("--max-schedules", ex.max_schedules, t(kMaxSchedules));
  explore_cmd->add_option("--seed", ex.seed, t(kSeed));
  explore_cmd->add_option("--set", ex.run.sets, t(kSet));
  explore_cmd->add_option("--method", ex.run.method, t(kExploreMethod))
      ->check(CLI::IsMember({"fork", "spawn", "forkserver"}));
  explore_cmd->add_option("--speed", ex.run.speed, t(kExploreSpeed));
  explore_cmd->add_option("--run-timeout", ex.run_timeout, t(kRunTimeout));
  explore_cmd->add_option("--save", ex.save, t(kSave));
  explore_cmd->add_flag("--json", ex.json, t(kExploreJson));
  explore_cmd->add_option("--max-processes", ex.run.max_processes,
                      "stop the run when more than N processes besides main are alive (default 64, 0: no limit)")
      ->check(CLI::Range(0, 100000));
  explore_cmd->add_option("--max-memory", ex.run.max_memory_mb,
                      "stop the run when its processes use more than MB of memory (default: a quarter of RAM, 0: no limit)")
      ->check(CLI::Range(int64_t{0}, int64_t{1} << 30));
  explore_cmd->add_option("--max-output", ex.run.max_output_mb,
                      "stop the run when it has printed more than MB (default 64, 0: no limit)")
      ->check(CLI::Range(int64_t{0}, int64_t{1} << 30));

  auto* export_cmd = sub("export", kExport);
  export_cmd->add_option("recording", cl.export_in, t(kRecording))->required();
  export_cmd->add_option("--chrome", cl.export_chrome, t(kChrome))->required();

  auto* version_cmd = sub("version", kVersion);

  ParsedCommandLine res;
  auto help = [&](const CLI::Error& e) {
    std::ostringstream out, err;
    res.exit_code = app.exit(e, out, err);
    res.out = out.str();
    res.err = err.str();
    return res;
  };
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return help(e);
  } catch (const CLI::CallForAllHelp& e) {
    return help(e);
  } catch (const CLI::ParseError& e) {
    res.exit_code = 2;
    res.err = one_line(std::string("mpviz: ") + e.what() + " (see mpviz --help)") + "\n";
    return res;
  }
  cl.run.speed_given = run_cmd->count("--speed") > 0;
  if (!gui_file.empty()) {
    if (!gui.open_recording.empty()) {
      res.exit_code = 2;
      res.err = "mpviz: gui: give the file either as --open FILE or as FILE, not both\n";
      return res;
    }
    gui.open_recording = gui_file;
  }
  if (gui.lang.empty()) gui.lang = top_lang;
  if (version_flag || *version_cmd) cl.command = CommandLine::Command::Version;
  else if (*list_cmd) cl.command = CommandLine::Command::List;
  else if (*run_cmd) cl.command = CommandLine::Command::Run;
  else if (*export_cmd) cl.command = CommandLine::Command::Export;
  else if (*explore_cmd) cl.command = CommandLine::Command::Explore;
  else cl.command = CommandLine::Command::Gui;
  res.command = std::move(cl);
  return res;
}

}  // namespace mpviz::cli
