// The pids in the event stream are real: while a run is live, every child the
// engine reports exists in the kernel's process table with the right parent,
// and stopping it leaves nothing behind.
#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <sstream>
#include <thread>

#include "engine/supervisor.hpp"
#include "mpviz_runner.hpp"
#include "scenarios/registry.hpp"

using namespace mpviz;
using namespace mpviz::test;

namespace {
int ppid_of(int pid) {
  std::ifstream f("/proc/" + std::to_string(pid) + "/stat");
  std::string s;
  std::getline(f, s);
  auto rp = s.rfind(')');
  if (rp == std::string::npos) return -1;
  std::istringstream rest(s.substr(rp + 2));
  char st;
  int ppid = -1;
  rest >> st >> ppid;
  return ppid;
}
}  // namespace

TEST(LiveProcessTable, ReportedChildrenExistWithTheRightParent) {
  auto shm_before = shm_entries();
  const ScenarioDef* def = find_scenario(scenarios::all(), "lock");
  ASSERT_NE(def, nullptr);
  EventLog log;
  auto sup = std::make_unique<Supervisor>(log);
  auto params = ParamValues::defaults(def->info.params);
  params.put("first_loop", int64_t{1000});  // long enough to look at
  ASSERT_FALSE(sup->start(RunRequest{"lock", rt::StartMethod::Fork, 1.0, params, mpviz_exe()}));
  int mainp = sup->main_pid();
  EXPECT_EQ(ppid_of(mainp), getpid());

  std::vector<int> kids;
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (kids.size() < 5 && std::chrono::steady_clock::now() < deadline) {
    kids.clear();
    for (const auto& e : log.snapshot())
      if (e.kind == EventKind::process_start && e.other == mainp) kids.push_back(e.pid);
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  ASSERT_EQ(kids.size(), 5u);
  for (int k : kids) {
    EXPECT_TRUE(process_alive(k)) << k;
    EXPECT_EQ(ppid_of(k), mainp) << "child " << k << " should be a child of main " << mainp;
    EXPECT_EQ(getpgid(k), mainp) << "children run in the run's process group";
  }
  // Some child is blocked or holding the lock right now, really.
  sup->stop();
  EXPECT_TRUE(sup->done());
  EXPECT_EQ(sup->status(), RunStatus::Stopped);
  for (int k : kids) EXPECT_FALSE(process_alive(k)) << k;
  EXPECT_FALSE(process_alive(mainp));
  EXPECT_TRUE(processes_in_group(mainp).empty());
  EXPECT_EQ(zombie_children(), 0);
  EXPECT_EQ(shm_entries(), shm_before);
  auto evs = log.snapshot();
  ASSERT_FALSE(evs.empty());
  EXPECT_EQ(evs.back().kind, EventKind::run_end);
  EXPECT_EQ(evs.back().text, "stopped");
}

TEST(LiveProcessTable, SpawnedChildrenRunTheSameBinaryFreshly) {
  const ScenarioDef* def = find_scenario(scenarios::all(), "lock");
  EventLog log;
  Supervisor sup(log);
  auto params = ParamValues::defaults(def->info.params);
  params.put("first_loop", int64_t{1000});
  ASSERT_FALSE(sup.start(RunRequest{"lock", rt::StartMethod::Spawn, 1.0, params, mpviz_exe()}));
  std::vector<int> kids;
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (kids.size() < 5 && std::chrono::steady_clock::now() < deadline) {
    kids.clear();
    for (const auto& e : log.snapshot())
      if (e.kind == EventKind::process_start && e.other == sup.main_pid()) kids.push_back(e.pid);
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  ASSERT_EQ(kids.size(), 5u);
  // Give the children time to exec, then read their command lines.
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  for (int k : kids) {
    std::ifstream f("/proc/" + std::to_string(k) + "/cmdline");
    std::string cmd((std::istreambuf_iterator<char>(f)), {});
    EXPECT_NE(cmd.find("__child"), std::string::npos) << "spawned child " << k << " was not exec'd";
  }
  sup.stop();
  for (int k : kids) EXPECT_FALSE(process_alive(k));
}
