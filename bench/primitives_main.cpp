// Driver of the primitive benchmarks: runs each micro-benchmark scenario of
// primitive_scenarios.cpp as a real, TRACED run under the Supervisor (this
// binary is also the scenario binary: the supervisor re-execs it with the
// hidden __main/__child arguments), collects the "BENCH key value" lines from
// the run's event log and prints one JSON object: key -> median/min/max/all,
// in the units of ../shared/bench/py_mp_bench.py.
#include <climits>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <string>
#include <vector>

#include "bench/bench_stats.hpp"
#include "bench/primitive_scenarios.hpp"
#include "engine/model/event_log.hpp"
#include "engine/control/entry_points.hpp"
#include "engine/control/supervisor.hpp"

namespace {

using namespace mpviz;

struct BenchRun {
  std::string scenario;
  rt::StartMethod method;
  int64_t n, quick_n;
};

// Sizes: per-op figures do not depend on n once a repetition takes tens of
// milliseconds. Locks use fewer ops than the Python bench's 300k because
// every traced op stays in the supervisor's in-memory log.
const std::vector<BenchRun> kRuns = {
    {"b-start-join", rt::StartMethod::Fork, 20, 3},
    {"b-start-join", rt::StartMethod::Spawn, 4, 2},
    {"b-lock", rt::StartMethod::Fork, 100'000, 1000},
    {"b-sem", rt::StartMethod::Fork, 100'000, 1000},
    {"b-queue-pingpong", rt::StartMethod::Fork, 1500, 50},
    {"b-pipe-pingpong", rt::StartMethod::Fork, 5000, 50},
    {"b-queue-tp", rt::StartMethod::Fork, 50'000, 500},
    {"b-pipe-tp", rt::StartMethod::Fork, 50'000, 500},
    {"b-pool", rt::StartMethod::Fork, 6000, 50},
};

std::string self_exe() {
  char buf[PATH_MAX];
  if (!realpath("/proc/self/exe", buf)) {
    std::perror("realpath /proc/self/exe");
    std::exit(1);
  }
  return buf;
}

// Runs one scenario to its end; appends its reported values to `out`.
// Returns the number of events traced, or -1 if the run failed.
int64_t run_one(const std::string& exe, const BenchRun& br, bool quick, int reps,
                std::map<std::string, std::vector<double>>& out) {
  const ScenarioDef* def = find_scenario(bench::primitive_scenarios(), br.scenario);
  ParamValues params = ParamValues::defaults(def->info.params);
  params.put("n", quick ? br.quick_n : br.n);
  params.put("reps", int64_t{reps});
  if (br.scenario == "b-pool") params.put("warm", int64_t{quick ? 30 : 600});

  EventLog log;
  Supervisor sup(log);
  RunRequest req{br.scenario, br.method, 0.0, params, exe, false, true};
  if (auto ec = sup.start(req)) {
    std::fprintf(stderr, "primitives: cannot start %s: %s\n", br.scenario.c_str(),
                 ec.message().c_str());
    return -1;
  }
  if (!sup.wait(std::chrono::seconds(90))) sup.stop();  // a hang must not stall the script
  if (sup.status() != RunStatus::Finished) {
    std::fprintf(stderr, "primitives: %s (%s) ended %s\n", br.scenario.c_str(),
                 rt::method_name(br.method), status_name(sup.status()));
    return -1;
  }
  auto events = log.snapshot();
  const std::string prefix = bench::kReportPrefix;
  for (const auto& e : events) {
    if (e.kind != EventKind::print || e.text.rfind(prefix, 0) != 0) continue;
    auto rest = e.text.substr(prefix.size());
    auto sp = rest.find(' ');
    if (sp == std::string::npos) continue;
    out[rest.substr(0, sp)].push_back(std::strtod(rest.c_str() + sp + 1, nullptr));
  }
  return static_cast<int64_t>(events.size());
}

}  // namespace

int main(int argc, char** argv) {
  if (mpviz::is_hidden_entry(argc, argv))
    mpviz::hidden_entry_main(argc, argv, bench::primitive_scenarios());

  bool quick = false;
  int reps = 5;
  std::string only;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--quick") {
      quick = true;
      reps = 1;
    } else if (a == "--reps" && i + 1 < argc) {
      reps = std::atoi(argv[++i]);
    } else if (a == "--only" && i + 1 < argc) {
      only = argv[++i];
    } else {
      std::fprintf(stderr, "usage: %s [--quick] [--reps R] [--only SCENARIO-PREFIX]\n", argv[0]);
      return 2;
    }
  }
  if (reps < 1) reps = 1;

  std::string exe = self_exe();
  std::map<std::string, std::vector<double>> values;
  nlohmann::json traced = nlohmann::json::object();
  bool ok = true;
  for (const auto& br : kRuns) {
    if (!only.empty() && br.scenario.rfind(only, 0) != 0) continue;
    int64_t n = run_one(exe, br, quick, reps, values);
    if (n < 0) ok = false;
    traced[br.scenario + "/" + rt::method_name(br.method)] = n;
  }
  nlohmann::json j;
  for (const auto& [k, v] : values) j[k] = bench::summary(v);
  j["_meta"] = {{"quick", quick}, {"reps", reps}, {"traced", true},
                {"events_per_run", traced}, {"pin", "same"}};
  std::printf("%s\n", j.dump(1).c_str());
  return ok ? 0 : 1;
}
