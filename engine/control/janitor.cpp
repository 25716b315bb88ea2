#include "engine/control/janitor.hpp"
#include "engine/control/spawn_setup.hpp"

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <dirent.h>
#include <fstream>
#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <spawn.h>
#include <string>
#include <sys/wait.h>
#include <unistd.h>

extern char** environ;

namespace mpviz {

pid_t start_janitor(const char* exe, pid_t pgid, int& fd) {
  fd = -1;
  int p[2];
  if (pipe2(p, O_CLOEXEC) != 0) return -1;
  std::string a0 = "mpviz", a1 = kJanitorArg, a2 = std::to_string(pgid);
  char* argv[] = {a0.data(), a1.data(), a2.data(), nullptr};
  // Its own group: a Ctrl-C to the terminal's group must not take it along.
  SpawnSetup sp;
  posix_spawn_file_actions_adddup2(&sp.files, p[0], 0);
  posix_spawn_file_actions_addopen(&sp.files, 1, "/dev/null", O_WRONLY, 0);
  pid_t pid = -1;
  int rc = posix_spawn(&pid, exe, &sp.files, &sp.attr, argv, environ);
  close(p[0]);
  if (rc != 0) {
    close(p[1]);
    return -1;
  }
  fd = p[1];
  return pid;
}

void dismiss_janitor(pid_t janitor, int fd) {
  if (fd >= 0) {
    ssize_t n = write(fd, "done\n", 5);
    (void)n;
    close(fd);
  }
  if (janitor > 0)
    while (waitpid(janitor, nullptr, 0) < 0 && errno == EINTR) {
    }
}

void janitor_main(pid_t pgid) {
  signal(SIGINT, SIG_IGN);
  signal(SIGTERM, SIG_IGN);
  signal(SIGPIPE, SIG_IGN);
  std::string got;
  char buf[64];
  for (;;) {
    ssize_t n = read(0, buf, sizeof buf);
    if (n > 0) {
      got.append(buf, static_cast<size_t>(n));
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    break;  // EOF (or error): the engine is gone, or has dismissed us
  }
  if (got.find("done") == std::string::npos && pgid > 1) {
    // Freeze the group first, so nobody creates a name while we look.
    kill(-pgid, SIGSTOP);
    auto names = cpython_shm_names_of_group(pgid);
    // Repeat briefly: a process that was mid-fork may add a member.
    for (int i = 0; i < 5; ++i) {
      if (kill(-pgid, SIGKILL) != 0 && errno == ESRCH) break;
      usleep(20'000);
    }
    unlink_shm_names(names);
  }
  _exit(0);
}

std::vector<std::string> cpython_shm_names_of_group(pid_t pgid) {
  std::vector<std::string> names;
  DIR* d = opendir("/proc");
  if (!d) return names;
  while (dirent* e = readdir(d)) {
    char* end = nullptr;
    long pid = std::strtol(e->d_name, &end, 10);
    if (*end != 0 || pid <= 0 || getpgid(static_cast<pid_t>(pid)) != pgid) continue;
    std::ifstream maps(std::string("/proc/") + e->d_name + "/maps");
    std::string line;
    while (std::getline(maps, line)) {
      auto at = line.find(" /dev/shm/");
      if (at == std::string::npos || line.find(" (deleted)") != std::string::npos) continue;
      std::string name = line.substr(at + 10);
      if (name.find('/') != std::string::npos) continue;
      if (name.rfind("sem.mp-", 0) != 0 && name.rfind("psm_", 0) != 0) continue;
      if (std::find(names.begin(), names.end(), name) == names.end()) names.push_back(name);
    }
  }
  closedir(d);
  return names;
}

void unlink_shm_names(const std::vector<std::string>& names) {
  for (const auto& n : names) unlink(("/dev/shm/" + n).c_str());
}

}  // namespace mpviz
