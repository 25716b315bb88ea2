#include "app/cli_explore.hpp"

#include <sys/stat.h>

#include <atomic>
#include <cstdio>
#include <fstream>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <thread>

#include "app/command_line.hpp"
#include "app/prepared_run.hpp"
#include "engine/explore/controlled_run.hpp"
#include "engine/explore/outcome.hpp"

namespace mpviz::cli {

namespace {

int bad(const std::string& msg) {
  std::fprintf(stderr, "mpviz: %s\n", one_line(msg).c_str());
  return 2;
}

struct Group {
  int count = 0;
  size_t first_run = 0;
  explore::ControlledRunResult example;
  std::string schedule_file, recording_file;
};

std::string joined(const std::vector<std::string>& lines, size_t max_chars) {
  std::string s;
  for (const auto& l : lines) {
    if (!s.empty()) s += " | ";
    s += l;
    if (s.size() > max_chars) return s.substr(0, max_chars) + "...";
  }
  return s;
}

}  // namespace

int explore_command(const ExploreOptions& opt) {
  if (opt.runs < 1 || opt.runs > 100000) return bad("--runs must be 1..100000");
  if (opt.jobs < 1 || opt.jobs > 16) return bad("--jobs must be 1..16");
  if (opt.max_schedules < 1) return bad("--max-schedules must be >= 1");
  if (opt.pct_depth < 1 || opt.pct_depth > 10) return bad("--pct-depth must be 1..10");
  if (opt.perturb != "none" && opt.perturb != "random" && opt.perturb != "pct")
    return bad("--perturb must be none, random or pct");
  if (opt.run.step) return bad("explore drives the steps itself: no --step");
  PreparedRun prepared;
  if (int rc = prepare_run(opt.run, prepared)) return rc;
  if (!opt.save.empty()) {
    struct stat st {};
    if (stat(opt.save.c_str(), &st) != 0 && mkdir(opt.save.c_str(), 0755) != 0)
      return bad("cannot create '" + opt.save + "'");
    if (stat(opt.save.c_str(), &st) != 0 || !S_ISDIR(st.st_mode)) return bad("'" + opt.save + "' is not a folder");
  }

  const std::string strategy_name = opt.systematic ? "systematic" : opt.perturb;
  explore::DriveLimits lim;
  lim.max_seconds = opt.run_timeout;
  std::map<explore::Outcome, Group> groups;
  std::mutex mu;
  std::atomic<int> next{0}, made{0}, errors{0}, pruned{0};
  std::string first_error;
  bool complete = false;

  auto record = [&](size_t index, explore::ControlledRunResult res) {
    std::lock_guard lk(mu);
    if (res.status == "error") {
      ++errors;
      if (first_error.empty()) first_error = res.error;
      return;
    }
    if (res.status == "pruned") {
      ++pruned;
      return;
    }
    ++made;
    auto o = explore::outcome_of(res.status, res.events);
    auto& g = groups[o];
    if (g.count++ == 0 || index < g.first_run) {
      g.first_run = index;
      g.example = std::move(res);
    }
  };

  if (opt.systematic) {
    // Depth-first over the run's choices, one run at a time.
    explore::DfsExplorer dfs;
    int n = 0;
    while (dfs.has_next() && n < opt.max_schedules) {
      auto s = dfs.next_run();
      auto res = explore::controlled_run(prepared.req, s.get(), lim);
      bool start_failed = res.status == "error";
      record(static_cast<size_t>(n++), std::move(res));
      if (start_failed) break;
      dfs.finish_run();
    }
    complete = dfs.complete();
  } else {
    std::atomic<int> est_steps{50};  // PCT's k: the last run's length (any job's)
    auto worker = [&] {
      for (;;) {
        int i = next++;
        if (i >= opt.runs) return;
        std::unique_ptr<explore::Strategy> s;
        uint64_t seed = opt.seed + static_cast<uint64_t>(i);
        if (opt.perturb == "random") s = explore::random_strategy(seed);
        if (opt.perturb == "pct") s = explore::pct_strategy(seed, opt.pct_depth, est_steps.load());
        auto res = explore::controlled_run(prepared.req, s.get(), lim);
        if (!res.steps.empty()) est_steps = static_cast<int>(res.steps.size());
        record(static_cast<size_t>(i), std::move(res));
      }
    };
    std::vector<std::thread> threads;
    for (int j = 0; j < opt.jobs; ++j) threads.emplace_back(worker);
    for (auto& t : threads) t.join();
  }
  if (made == 0) {
    std::fprintf(stderr, "mpviz: no run could be made%s%s\n", first_error.empty() ? "" : ": ",
                 first_error.c_str());
    return 1;
  }

  std::vector<std::pair<explore::Outcome, Group*>> sorted;
  for (auto& [o, g] : groups) sorted.emplace_back(o, &g);
  std::stable_sort(sorted.begin(), sorted.end(), [](const auto& a, const auto& b) {
    return a.second->count != b.second->count ? a.second->count > b.second->count
                                              : a.second->first_run < b.second->first_run;
  });

  // --save: one recording and one schedule per distinct outcome.
  for (size_t i = 0; i < sorted.size() && !opt.save.empty(); ++i) {
    Group& g = *sorted[i].second;
    std::string base = opt.save + "/outcome-" + std::to_string(i + 1);
    Recording rec;
    rec.header = prepared.header;
    rec.events = g.example.events;
    std::ofstream(base + ".jsonl", std::ios::binary) << to_jsonl(rec);
    g.recording_file = base + ".jsonl";
    if (strategy_name != "none") {
      explore::Schedule s;
      s.target = opt.run.target;
      s.method = prepared.header.method;
      s.strategy = strategy_name;
      s.seed = opt.seed + g.first_run;
      s.speed = opt.run.speed;
      for (const auto& [k, v] : prepared.header.params) s.params.emplace_back(k, format_param(v));
      s.steps = g.example.steps;
      std::ofstream(base + ".schedule.json", std::ios::binary) << explore::to_json(s);
      g.schedule_file = base + ".schedule.json";
    }
  }

  int total = made.load();
  if (opt.json) {
    nlohmann::json outs = nlohmann::json::array();
    for (auto& [o, g] : sorted) {
      nlohmann::json finals = nlohmann::json::object(), exits = nlohmann::json::object();
      for (const auto& [k, v] : o.finals) finals[k] = v;
      for (const auto& [k, v] : o.exits) exits[k] = v;
      outs.push_back({{"count", g->count},
                      {"status", o.status},
                      {"output", o.output},
                      {"finals", finals},
                      {"exits", exits},
                      {"schedule", g->schedule_file.empty() ? nlohmann::json() : nlohmann::json(g->schedule_file)},
                      {"recording", g->recording_file.empty() ? nlohmann::json() : nlohmann::json(g->recording_file)}});
    }
    nlohmann::json j = {{"runs", total},
                        {"complete", complete},
                        {"strategy", strategy_name},
                        {"pruned", pruned.load()},
                        {"outcomes", outs}};
    std::printf("%s\n", j.dump().c_str());
    return 0;
  }
  std::printf("explore %s: %d runs (%s%s), %zu distinct outcome%s\n", opt.run.target.c_str(), total,
              strategy_name.c_str(),
              strategy_name == "none" ? "" : (", seed " + std::to_string(opt.seed)).c_str(), sorted.size(),
              sorted.size() == 1 ? "" : "s");
  if (opt.systematic)
    std::printf("systematic: %s after %d schedules (%d pruned as equivalent)\n",
                complete ? "complete" : "NOT complete (raise --max-schedules)", total + pruned.load(),
                pruned.load());
  std::printf("  #  count     %%  status    output / finals\n");
  for (size_t i = 0; i < sorted.size(); ++i) {
    const auto& [o, g] = sorted[i];
    std::string finals;
    for (const auto& [k, v] : o.finals) finals += (finals.empty() ? "" : ", ") + k + "=" + v;
    std::printf("%3zu  %5d  %4.0f%%  %-8s  %s%s%s\n", i + 1, g->count, 100.0 * g->count / total, o.status.c_str(),
                joined(o.output, 90).c_str(), finals.empty() ? "" : "   [", finals.empty() ? "" : (finals + "]").c_str());
    if (!g->schedule_file.empty()) std::printf("                         replay: mpviz run %s --schedule %s\n",
                                               opt.run.target.c_str(), g->schedule_file.c_str());
    for (const auto& d : g->example.deadlocked) std::printf("                         %s\n", d.c_str());
  }
  return 0;
}

}  // namespace mpviz::cli
