#include "app/cli_run.hpp"

#include <atomic>
#include <chrono>
#include <cmath>
#include <csignal>
#include <cstdio>
#include <fstream>
#include <climits>
#include <cstdlib>
#include <sys/stat.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

#include "app/command_line.hpp"
#include "app/prepared_run.hpp"
#include "app/python_program.hpp"
#include "app/step_commands.hpp"
#include "app/text_timeline.hpp"
#include "engine/recording/recording.hpp"
#include "engine/control/supervisor.hpp"
#include "engine/explore/controlled_run.hpp"
#include "scenarios/registry.hpp"

namespace mpviz::cli {
namespace {

std::atomic<bool> g_interrupted{false};
void on_interrupt(int) { g_interrupted = true; }

int execute_run(const RunOptions& opt, const RunRequest& req, RecordingHeader header);
int prepare_python_run(const RunOptions& opt, PreparedRun& out);
int replay_schedule(const RunOptions& opt, PreparedRun& p, const explore::Schedule& s);

// --speed and --duration, checked the same way for scenarios and programs.
std::optional<std::string> timing_error(const RunOptions& opt) {
  if (!std::isfinite(opt.speed) || opt.speed < 0) return "--speed must be a number >= 0 (0 skips sleeps)";
  if (opt.duration && (!std::isfinite(*opt.duration) || *opt.duration <= 0))
    return "--duration must be a number of seconds > 0";
  return std::nullopt;
}

int bad_input(const std::string& msg) {
  std::fprintf(stderr, "mpviz: %s\n", one_line(msg).c_str());
  return 2;
}

bool ends_with(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

// --max-processes, --max-memory, --max-output (on by default).
void apply_limits(const RunOptions& opt, RunRequest& req) {
  req.limits = default_run_limits();
  req.limits.max_processes = opt.max_processes;
  if (opt.max_memory_mb) req.limits.max_memory_bytes = *opt.max_memory_mb * 1024 * 1024;
  req.limits.max_output_bytes = opt.max_output_mb * 1024 * 1024;
}

int64_t unix_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace

int prepare_run(const RunOptions& opt, PreparedRun& out) {
  // Validate everything before starting a single process.
  if (ends_with(opt.target, ".py")) return prepare_python_run(opt, out);
  if (!opt.python.empty()) return bad_input("--python is for a PROGRAM.py, not a scenario");
  const ScenarioDef* def = find_scenario(scenarios::all(), opt.target);
  if (!def) {
    std::string names;
    for (const auto& s : scenarios::all()) names += (names.empty() ? "" : ", ") + s.info.name;
    return bad_input("unknown scenario '" + opt.target + "' (try: " + names + ")");
  }
  if (auto err = timing_error(opt)) return bad_input(*err);
  auto method = rt::method_from_name(opt.method.empty() ? "fork" : opt.method);
  if (!method)
    return bad_input("--method must be fork or spawn for a scenario (forkserver: Python programs)");
  ParamValues params = ParamValues::defaults(def->info.params);
  for (const auto& kv : opt.sets)
    if (auto err = params.set(def->info.params, kv)) return bad_input(*err);

  out.req = RunRequest{def->info.name, *method, opt.speed, params, opt.exe, opt.step, !opt.no_trace};
  out.header = RecordingHeader{};
  out.header.scenario = def->info.name;
  out.header.method = rt::method_name(*method);
  for (const auto& [k, v] : params.all()) out.header.params.emplace_back(k, v);
  apply_limits(opt, out.req);
  return 0;
}

namespace {
int prepare_python_run(const RunOptions& opt, PreparedRun& out) {
  if (!opt.sets.empty() && access(opt.target.c_str(), F_OK) == 0)  // a missing file says so first
    return bad_input("--set is for built-in scenarios; a Python program has its own values");
  if (auto err = timing_error(opt)) return bad_input(*err);
  PythonRun run;
  run.program = opt.target;
  if (opt.method == "forkserver") {
    run.forkserver = true;  // CPython's own; the C++ scenarios have no forkserver
  } else if (!opt.method.empty()) {
    auto m = rt::method_from_name(opt.method);
    if (!m) return bad_input("--method must be fork, spawn or forkserver");
    run.method = *m;
  }
  run.python = opt.python;
  if (run.python.empty())
    if (const char* env = getenv("MPVIZ_PYTHON"); env && *env) run.python = env;
  run.speed = opt.speed;
  run.exe = opt.exe;
  run.start_held = opt.step;
  run.trace = !opt.no_trace;
  // Not there, not Python, or no multiprocessing in it: say so before starting anything.
  out.req = RunRequest{};
  if (std::string why = python_run_request(run, out.req); !why.empty()) return bad_input(why);
  out.header = RecordingHeader{};
  out.header.scenario = out.req.python_program;
  out.header.method = opt.method.empty() ? "fork" : opt.method;  // Python 3.11 on Linux defaults to fork
  // --quiet: no timeline on stdout, so the program's own output goes there,
  // byte for byte, as it would without mpviz.
  out.req.pass_stdout = opt.quiet && opt.jsonl != "-";
  apply_limits(opt, out.req);
  return 0;
}
}  // namespace

int run_scenario(const RunOptions& given) {
  RunOptions opt = given;
  explore::Schedule schedule;
  if (!opt.schedule.empty()) {
    // The schedule brings the run's settings; what the command line says wins.
    std::ifstream f(opt.schedule, std::ios::binary);
    if (!f) return bad_input("cannot read schedule '" + opt.schedule + "'");
    std::string text((std::istreambuf_iterator<char>(f)), {}), err;
    auto s = explore::schedule_from_json(text, err);
    if (!s) return bad_input("schedule '" + opt.schedule + "': " + err);
    if (opt.step) return bad_input("--schedule and --step do not go together");
    schedule = std::move(*s);
    std::vector<std::string> sets;
    for (const auto& [k, v] : schedule.params) sets.push_back(k + "=" + v);
    if (ends_with(opt.target, ".py")) sets.clear();
    sets.insert(sets.end(), opt.sets.begin(), opt.sets.end());
    opt.sets = sets;
    if (opt.method.empty()) opt.method = schedule.method;
    if (!given.speed_given) opt.speed = schedule.speed;
  }
  PreparedRun p;
  if (int rc = prepare_run(opt, p)) return rc;
  if (!opt.schedule.empty()) return replay_schedule(opt, p, schedule);
  return execute_run(opt, p.req, std::move(p.header));
}

namespace {

int execute_run(const RunOptions& opt, const RunRequest& request, RecordingHeader header) {
  const RunRequest& req = request;
  std::ofstream jsonl_file;
  if (!opt.jsonl.empty() && opt.jsonl != "-") {
    jsonl_file.open(opt.jsonl, std::ios::binary | std::ios::trunc);
    if (!jsonl_file) return bad_input("cannot write '" + opt.jsonl + "'");
  }

  // The text timeline goes to stdout unless the recording does.
  FILE* tl_out = opt.jsonl == "-" ? stderr : stdout;
  TextTimeline timeline(isatty(fileno(tl_out)) != 0);

  struct sigaction sa {};
  sa.sa_handler = on_interrupt;
  sigaction(SIGINT, &sa, nullptr);
  sigaction(SIGTERM, &sa, nullptr);
  std::signal(SIGPIPE, SIG_IGN);

  EventLog log;
  Supervisor sup(log);
  int64_t started_ms = unix_ms();
  if (auto ec = sup.start(req)) {
    std::fprintf(stderr, "mpviz: cannot start the run: %s\n", ec.message().c_str());
    return 1;
  }
  auto t_start = std::chrono::steady_clock::now();
  size_t seen = 0;
  std::vector<Event> fresh;
  bool stop_requested = false;
  ReorderBuffer reorder;
  constexpr int64_t kReorderWindowNs = 50'000'000;
  LineReader commands(STDIN_FILENO);
  std::string shown_pending;
  if (opt.step)
    std::fprintf(tl_out, "step mode: every process is held before its next operation.\n"
                         "commands: step | step PID | run | pause | quit\n");
  for (;;) {
    bool finished = sup.wait(std::chrono::milliseconds(20));
    if (!opt.quiet) {  // the text timeline is the only reader of new events here
      fresh.clear();
      seen = log.copy_since(seen, fresh);
      reorder.push(fresh);
      auto ready = finished ? reorder.take_all() : reorder.take_until(sup.rel_now() - kReorderWindowNs);
      for (const auto& e : ready) std::fprintf(tl_out, "%s\n", timeline.line(e).c_str());
      std::fflush(tl_out);
    }
    if (finished) break;
    if (opt.step) {
      while (auto line = commands.next()) {
        if (line->empty()) continue;
        std::string err;
        auto cmd = parse_step_command(*line, err);
        if (!cmd) {
          std::fprintf(stderr, "mpviz: %s\n", err.c_str());
          continue;
        }
        auto& steps = sup.steps();
        switch (cmd->kind) {
          case StepCommand::Step:
            if (!steps.step_oldest()) std::fprintf(stderr, "mpviz: nothing is waiting for a step\n");
            break;
          case StepCommand::StepPid:
            if (!steps.step_pid(cmd->pid))
              std::fprintf(stderr, "mpviz: process %d has no pending operation\n", cmd->pid);
            break;
          case StepCommand::Run: steps.run_free(); break;
          case StepCommand::Pause: steps.hold(); break;
          case StepCommand::Quit: g_interrupted = true; break;
        }
      }
      // No more commands can come: let the run go on by itself.
      if (commands.eof() && sup.steps().held() && !g_interrupted) sup.steps().run_free();
      if (!opt.quiet && sup.steps().held()) {
        std::string now;
        for (const auto& op : sup.steps().pending())
          now += (now.empty() ? "" : " | ") + std::to_string(op.pid) + " " +
                 timeline.name_of(op.pid) + ": " + pending_verb(op.kind) +
                 (op.obj.empty() ? "" : " " + op.obj);
        if (now != shown_pending && !now.empty())
          std::fprintf(tl_out, "   [held] %s\n", now.c_str());
        shown_pending = now;
      }
    }
    bool timed_out = opt.duration && std::chrono::steady_clock::now() - t_start >=
                                         std::chrono::duration<double>(*opt.duration);
    if (!stop_requested && (timed_out || g_interrupted)) {
      stop_requested = true;
      sup.stop();
    }
  }

  if (!opt.jsonl.empty()) {  // the recording is only built when it is written
    Recording rec;
    rec.header = std::move(header);
    rec.header.started_unix_ms = started_ms;
    rec.events = log.snapshot();
    normalize_recording(rec.events, sup.stop_time());
    if (!req.python_program.empty()) rec.header.method = method_used(rec.events, rec.header.method);
    std::string text = to_jsonl(rec);
    if (opt.jsonl == "-") {
      std::fwrite(text.data(), 1, text.size(), stdout);
      std::fflush(stdout);
    } else {
      jsonl_file << text;
      jsonl_file.close();
      if (!jsonl_file) {
        std::fprintf(stderr, "mpviz: writing '%s' failed\n", opt.jsonl.c_str());
        return 1;
      }
    }
  }
  RunStatus st = sup.status();
  if (auto hit = sup.limit_hit()) {
    std::fprintf(stderr, "mpviz: run stopped at a limit: %s\n", one_line(hit->message).c_str());
    return 1;
  }
  if (st == RunStatus::Failed) {
    std::fprintf(stderr, "mpviz: the run failed (main process exit code %d)\n",
                 sup.main_exit_code());
    return 1;
  }
  return 0;
}

// --schedule: the same run on real processes, every operation granted in
// the saved order; the text timeline is printed once the run is over.
int replay_schedule(const RunOptions& opt, PreparedRun& p, const explore::Schedule& s) {
  int64_t started_ms = unix_ms();
  auto strategy = explore::replay_strategy(s.steps);
  explore::DriveLimits lim;
  if (opt.duration) lim.max_seconds = *opt.duration;
  auto res = explore::controlled_run(p.req, strategy.get(), lim);
  if (res.status == "error") {
    std::fprintf(stderr, "mpviz: cannot start the run: %s\n", res.error.c_str());
    return 1;
  }
  FILE* tl_out = opt.jsonl == "-" ? stderr : stdout;
  if (!opt.quiet) {
    TextTimeline timeline(isatty(fileno(tl_out)) != 0);
    for (const auto& e : res.events) std::fprintf(tl_out, "%s\n", timeline.line(e).c_str());
  }
  std::fprintf(stderr, "mpviz: replayed %zu of %zu steps: %s%s\n", res.steps.size(), s.steps.size(),
               res.status.c_str(), res.off_path ? " (the run left the schedule's path)" : "");
  for (const auto& d : res.deadlocked) std::fprintf(stderr, "mpviz:   %s\n", d.c_str());
  if (!opt.jsonl.empty()) {
    Recording rec;
    rec.header = std::move(p.header);
    rec.header.started_unix_ms = started_ms;
    rec.events = std::move(res.events);
    std::string text = to_jsonl(rec);
    if (opt.jsonl == "-") {
      std::fwrite(text.data(), 1, text.size(), stdout);
    } else {
      std::ofstream f(opt.jsonl, std::ios::binary | std::ios::trunc);
      f << text;
      if (!f) {
        std::fprintf(stderr, "mpviz: writing '%s' failed\n", opt.jsonl.c_str());
        return 1;
      }
    }
  }
  return res.status == "failed" ? 1 : 0;
}

}  // namespace

}  // namespace mpviz::cli
