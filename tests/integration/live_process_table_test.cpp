// The pids in the event stream are real: while a run is live, every child the
// engine reports exists in the kernel's process table with the right parent,
// and stopping it leaves nothing behind.
#include <gtest/gtest.h>
#include <unistd.h>

#include <dirent.h>

#include <chrono>
#include <cstdlib>
#include <map>
#include <fstream>
#include <sstream>
#include <thread>

#include "engine/control/supervisor.hpp"
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
  // Until the children have exec'd (or 10 s: then the check below says so).
  eventually(
      [&] {
        for (int k : kids) {
          std::ifstream f("/proc/" + std::to_string(k) + "/cmdline");
          std::string cmd((std::istreambuf_iterator<char>(f)), {});
          if (cmd.find("__child") == std::string::npos) return false;
        }
        return true;
      },
      std::chrono::seconds(10));
  for (int k : kids) {
    std::ifstream f("/proc/" + std::to_string(k) + "/cmdline");
    std::string cmd((std::istreambuf_iterator<char>(f)), {});
    EXPECT_NE(cmd.find("__child"), std::string::npos) << "spawned child " << k << " was not exec'd";
  }
  sup.stop();
  for (int k : kids) EXPECT_FALSE(process_alive(k));
}

namespace {
// The descriptors a process holds: fd number -> (link target, open flags).
std::map<int, std::pair<std::string, int>> open_fds(int pid) {
  std::map<int, std::pair<std::string, int>> fds;
  std::string dir = "/proc/" + std::to_string(pid) + "/fd";
  if (DIR* d = opendir(dir.c_str())) {
    while (dirent* e = readdir(d)) {
      if (e->d_name[0] == '.') continue;
      int fd = std::atoi(e->d_name);
      char target[512] = {};
      ssize_t n = readlink((dir + "/" + e->d_name).c_str(), target, sizeof target - 1);
      if (n < 0) continue;
      std::ifstream info("/proc/" + std::to_string(pid) + "/fdinfo/" + e->d_name);
      std::string line;
      int flags = 0;
      while (std::getline(info, line))
        if (line.rfind("flags:", 0) == 0) flags = static_cast<int>(std::strtol(line.c_str() + 6, nullptr, 8));
      fds[fd] = {target, flags};
    }
    closedir(d);
  }
  return fds;
}
}  // namespace

// A scenario process holds only what it needs: stdin/stdout on /dev/null,
// stderr, the WRITE end of the event pipe, the gate table and the arena. The
// engine's read end (and anything else of the engine's) never leaks in.
TEST(LiveProcessTable, ChildrenHoldOnlyTheDescriptorsTheyNeed) {
  for (auto method : {rt::StartMethod::Fork, rt::StartMethod::Spawn}) {
    EventLog log;
    Supervisor sup(log);
    const std::vector<int> pids = start_two_child_lock_run(sup, log, method);
    ASSERT_EQ(pids.size(), 3u);
    for (int pid : pids) {
      auto fds = open_fds(pid);
      EXPECT_LE(fds.size(), 7u) << "pid " << pid;
      int arenas = 0;
      for (const auto& [fd, what] : fds) {
        const auto& [target, flags] = what;
        EXPECT_LT(fd, 64) << "pid " << pid << " holds fd " << fd << " -> " << target;
        EXPECT_EQ(target.find("socket:"), std::string::npos) << "pid " << pid << " fd " << fd;
        if (target.rfind("pipe:", 0) == 0) {
          EXPECT_EQ(flags & 3, 1) << "pid " << pid << " holds a pipe READ end (fd " << fd << ")";
        }
        arenas += target.find("mpviz-arena") != std::string::npos;
      }
      EXPECT_EQ(arenas, 1) << "pid " << pid;
      EXPECT_EQ(fds[0].first, "/dev/null") << "pid " << pid;
      EXPECT_EQ(fds[1].first, "/dev/null") << "pid " << pid;
    }
    sup.stop();
  }
}
