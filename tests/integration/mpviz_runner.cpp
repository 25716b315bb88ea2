#include "mpviz_runner.hpp"

#include "scenarios/registry.hpp"

#include <gtest/gtest.h>

#include <cerrno>
#include <chrono>
#include <csignal>
#include <dirent.h>
#include <fcntl.h>
#include <fstream>
#include <poll.h>
#include <spawn.h>
#include <sstream>
#include <sys/wait.h>
#include <unistd.h>

extern char** environ;

namespace mpviz::test {

std::string mpviz_exe() { return MPVIZ_EXE; }

CommandResult run_mpviz(const std::vector<std::string>& args, double timeout_s,
                        const std::string& input) {
  std::vector<std::string> argv_s = {mpviz_exe()};
  argv_s.insert(argv_s.end(), args.begin(), args.end());
  return run_command(argv_s, timeout_s, input);
}

CommandResult run_command(const std::vector<std::string>& argv_s, double timeout_s,
                          const std::string& input) {
  CommandResult res;
  int in[2], out[2], err[2];
  if (pipe2(in, O_CLOEXEC) || pipe2(out, O_CLOEXEC) || pipe2(err, O_CLOEXEC)) return res;
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_adddup2(&fa, in[0], 0);
  posix_spawn_file_actions_adddup2(&fa, out[1], 1);
  posix_spawn_file_actions_adddup2(&fa, err[1], 2);
  std::vector<std::string> args = argv_s;
  std::vector<char*> argv;
  for (auto& s : args) argv.push_back(s.data());
  argv.push_back(nullptr);
  pid_t pid = 0;
  int rc = posix_spawn(&pid, argv[0], &fa, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&fa);
  res.pid = pid;
  close(in[0]);
  close(out[1]);
  close(err[1]);
  if (rc != 0) {
    close(in[1]);
    close(out[0]);
    close(err[0]);
    return res;
  }
  if (!input.empty()) {
    ssize_t w = write(in[1], input.data(), input.size());
    (void)w;
  }
  close(in[1]);
  auto deadline = std::chrono::steady_clock::now() + std::chrono::duration<double>(timeout_s);
  bool out_open = true, err_open = true;
  char buf[65536];
  while (out_open || err_open) {
    pollfd p[2] = {{out_open ? out[0] : -1, POLLIN, 0}, {err_open ? err[0] : -1, POLLIN, 0}};
    int left = static_cast<int>(std::chrono::duration_cast<std::chrono::milliseconds>(
                                    deadline - std::chrono::steady_clock::now())
                                    .count());
    if (left <= 0) {
      res.timed_out = true;
      kill(pid, SIGKILL);
      break;
    }
    int r = poll(p, 2, left);
    if (r < 0 && errno == EINTR) continue;
    for (int i = 0; i < 2; ++i) {
      if (!(p[i].revents & (POLLIN | POLLHUP))) continue;
      ssize_t n = read(p[i].fd, buf, sizeof buf);
      if (n <= 0) {
        (i == 0 ? out_open : err_open) = false;
        continue;
      }
      (i == 0 ? res.out : res.err).append(buf, static_cast<size_t>(n));
    }
  }
  close(out[0]);
  close(err[0]);
  int st = 0;
  waitpid(pid, &st, 0);
  res.exit_code = WIFEXITED(st) ? WEXITSTATUS(st) : -WTERMSIG(st);
  return res;
}

RunResult run_recorded(const std::vector<std::string>& args, double timeout_s) {
  RunResult r;
  std::vector<std::string> a = args;
  a.insert(a.end(), {"--jsonl", "-", "--quiet"});
  r.cmd = run_mpviz(a, timeout_s);
  EXPECT_FALSE(r.cmd.timed_out) << "mpviz did not finish in time";
  auto loaded = parse_jsonl(r.cmd.out);
  EXPECT_TRUE(loaded.recording) << loaded.error << "\nstderr: " << r.cmd.err;
  if (loaded.recording) r.rec = std::move(*loaded.recording);
  return r;
}

std::set<std::string> shm_entries() {
  std::set<std::string> names;
  if (DIR* d = opendir("/dev/shm")) {
    while (dirent* e = readdir(d))
      if (e->d_name[0] != '.') names.insert(e->d_name);
    closedir(d);
  }
  return names;
}

namespace {
// Fields of /proc/PID/stat after the command name: state, ppid, pgrp.
bool read_stat(int pid, char& state, int& ppid, int& pgrp) {
  std::ifstream f("/proc/" + std::to_string(pid) + "/stat");
  std::string s;
  if (!std::getline(f, s)) return false;
  auto rp = s.rfind(')');
  if (rp == std::string::npos) return false;
  std::istringstream rest(s.substr(rp + 2));
  rest >> state >> ppid >> pgrp;
  return static_cast<bool>(rest);
}

template <typename F>
void for_each_pid(F f) {
  if (DIR* d = opendir("/proc")) {
    while (dirent* e = readdir(d)) {
      char* end = nullptr;
      long pid = std::strtol(e->d_name, &end, 10);
      if (*end == 0 && pid > 0) f(static_cast<int>(pid));
    }
    closedir(d);
  }
}
}  // namespace

std::vector<int> processes_in_group(int pgid) {
  std::vector<int> pids;
  for_each_pid([&](int pid) {
    char st;
    int ppid, pgrp;
    if (read_stat(pid, st, ppid, pgrp) && pgrp == pgid) pids.push_back(pid);
  });
  return pids;
}

std::vector<int> live_processes_in_group(int pgid) {
  std::vector<int> pids;
  for_each_pid([&](int pid) {
    char st;
    int ppid, pgrp;
    if (read_stat(pid, st, ppid, pgrp) && pgrp == pgid && st != 'Z') pids.push_back(pid);
  });
  return pids;
}

int zombie_children() {
  int n = 0, me = getpid();
  for_each_pid([&](int pid) {
    char st;
    int ppid, pgrp;
    if (read_stat(pid, st, ppid, pgrp) && ppid == me && st == 'Z') ++n;
  });
  return n;
}

int reap_zombie_children() {
  int n = 0, me = getpid();
  std::vector<int> zombies;
  for_each_pid([&](int pid) {
    char st;
    int ppid, pgrp;
    if (read_stat(pid, st, ppid, pgrp) && ppid == me && st == 'Z') zombies.push_back(pid);
  });
  for (int pid : zombies) n += waitpid(pid, nullptr, WNOHANG) == pid;
  return n;
}

bool process_alive(int pid) {
  char st;
  int ppid, pgrp;
  return read_stat(pid, st, ppid, pgrp) && st != 'Z';
}

std::vector<const Event*> of_kind(const Recording& r, EventKind k) {
  std::vector<const Event*> v;
  for (const auto& e : r.events)
    if (e.kind == k) v.push_back(&e);
  return v;
}

int main_pid(const Recording& r) {
  for (const auto& e : r.events)
    if (e.kind == EventKind::process_start && e.name == "MainProcess") return e.pid;
  return 0;
}

std::vector<const Event*> children_of(const Recording& r, int ppid) {
  std::vector<const Event*> v;
  for (const auto* e : of_kind(r, EventKind::process_start))
    if (e->other == ppid) v.push_back(e);
  return v;
}

const Event* end_of(const Recording& r, int pid) {
  for (const auto& e : r.events)
    if (e.pid == pid && (e.kind == EventKind::process_exit || e.kind == EventKind::process_killed))
      return &e;
  return nullptr;
}

std::vector<std::string> prints(const Recording& r) {
  std::vector<std::string> v;
  for (const auto& e : r.events)
    if (e.kind == EventKind::print) v.emplace_back(print_line(e.text));
  return v;
}

std::vector<int> wait_for_run_pids(const EventLog& log, int main_pid, size_t n) {
  std::vector<int> pids;
  eventually([&] {
    pids = {main_pid};
    for (const auto& e : log.snapshot())
      if (e.kind == EventKind::process_start && e.other == main_pid) pids.push_back(e.pid);
    return pids.size() >= n;
  });
  return pids;
}

std::vector<int> start_two_child_lock_run(Supervisor& sup, const EventLog& log,
                                          rt::StartMethod method) {
  const ScenarioDef* def = find_scenario(scenarios::all(), "lock");
  auto params = ParamValues::defaults(def->info.params);
  params.put("first_loop", int64_t{1000});
  params.put("processes", int64_t{2});
  if (sup.start(RunRequest{"lock", method, 1.0, params, mpviz_exe()})) return {};
  auto pids = wait_for_run_pids(log, sup.main_pid(), 3);
  // Spawned children: until each has exec'd (`mpviz __child ...`), not a
  // fixed time (under load an exec can take longer than any guess).
  if (method == rt::StartMethod::Spawn)
    eventually([&] {
      for (size_t i = 1; i < pids.size(); ++i) {
        std::ifstream f("/proc/" + std::to_string(pids[i]) + "/cmdline");
        std::string cmd((std::istreambuf_iterator<char>(f)), {});
        if (cmd.find("__child") == std::string::npos) return false;
      }
      return true;
    });
  return pids;
}

}  // namespace mpviz::test
