// Stress: many runs of random scenarios and start methods, stopped at random
// moments, some with a random child (or the lock holder) SIGKILLed first —
// all inside ONE engine process, so anything the engine leaks (descriptors,
// children, zombies, /dev/shm names) accumulates and shows. Size from
// MPVIZ_STRESS_RUNS (CI: small; docs/reliability.md: the full-size run).
// Stop times are measured and printed, never asserted (machines are noisy).
#include <gtest/gtest.h>
#include <dirent.h>
#include <signal.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <thread>

#include "engine/control/supervisor.hpp"
#include "engine/model/timeline_model.hpp"
#include "mpviz_runner.hpp"
#include "scenarios/registry.hpp"

using namespace mpviz;
using namespace mpviz::test;
using namespace std::chrono_literals;

namespace {
int open_fd_count() {
  int n = 0;
  if (DIR* d = opendir("/proc/self/fd")) {
    while (dirent* e = readdir(d)) n += e->d_name[0] != '.';
    closedir(d);
  }
  return n;
}
}  // namespace

TEST(Stress, RandomRunsStoppedAnywhereLeaveNothing) {
  int runs = 30;
  if (const char* n = std::getenv("MPVIZ_STRESS_RUNS")) runs = std::max(1, std::atoi(n));
  std::mt19937 rng(12345);
  const auto& list = scenarios::all();
  auto shm_before = shm_entries();
  int fds_before = -1;
  std::vector<double> stop_ms;
  int kills = 0, holder_kills = 0, left_processes = 0;
  for (int i = 0; i < runs; ++i) {
    const ScenarioDef& def = list[rng() % list.size()];
    auto method = (rng() % 2) ? rt::StartMethod::Spawn : rt::StartMethod::Fork;
    EventLog log;
    auto sup = std::make_unique<Supervisor>(log);
    ASSERT_FALSE(sup->start(RunRequest{def.info.name, method, 5.0,
                                       ParamValues::defaults(def.info.params), mpviz_exe()}));
    std::this_thread::sleep_for(std::chrono::milliseconds(rng() % 800));
    if (rng() % 3 == 0) {
      // SIGKILL the lock holder if there is one, else a random child.
      auto evs = log.snapshot();
      sort_by_time(evs);
      auto m = build_timeline(evs);
      int victim = 0;
      for (const auto& s : m.spans)
        if (s.kind == SpanKind::HoldLock && s.open) victim = s.pid;
      if (victim) ++holder_kills;
      if (!victim) {
        std::vector<int> kids;
        for (const auto& p : m.processes)
          if (p.t_end < 0 && p.pid != sup->main_pid()) kids.push_back(p.pid);
        if (!kids.empty()) victim = kids[rng() % kids.size()];
      }
      if (victim && sup->kill_process(victim, SIGKILL)) ++kills;
      std::this_thread::sleep_for(20ms);
    }
    auto t0 = std::chrono::steady_clock::now();
    sup->stop();
    stop_ms.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count());
    ASSERT_TRUE(sup->done()) << def.info.name;
    int mainp = sup->main_pid();
    auto evs = log.snapshot();
    sup.reset();
    left_processes += static_cast<int>(live_processes_in_group(mainp).size());
    EXPECT_TRUE(live_processes_in_group(mainp).empty()) << "run " << i << " " << def.info.name;
    ASSERT_FALSE(evs.empty());
    EXPECT_EQ(evs.back().kind, EventKind::run_end) << "run " << i << " " << def.info.name;
    if (i == 0) fds_before = open_fd_count();  // after the first run: lazily opened fds settle
  }
  EXPECT_EQ(zombie_children(), 0);
  EXPECT_EQ(open_fd_count(), fds_before) << "the engine leaked descriptors";
  for (const auto& n : shm_entries())
    if (n.rfind("sem.mp-", 0) != 0) {
      EXPECT_TRUE(shm_before.count(n)) << "left in /dev/shm: " << n;
    }
  std::sort(stop_ms.begin(), stop_ms.end());
  double p99 = stop_ms[std::min(stop_ms.size() - 1, stop_ms.size() * 99 / 100)];
  std::printf("{\"runs\":%d,\"kills\":%d,\"lock_holder_kills\":%d,\"processes_left\":%d,"
              "\"zombies\":%d,\"fds_leaked\":%d,\"stop_ms_p50\":%.1f,\"stop_ms_p99\":%.1f,"
              "\"stop_ms_max\":%.1f}\n",
              runs, kills, holder_kills, left_processes, zombie_children(),
              open_fd_count() - fds_before, stop_ms[stop_ms.size() / 2], p99, stop_ms.back());
}
