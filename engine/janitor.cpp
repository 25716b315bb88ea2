#include "engine/janitor.hpp"
#include "engine/spawn_setup.hpp"

#include <cerrno>
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
    // Repeat briefly: a process that was mid-fork may add a member.
    for (int i = 0; i < 5; ++i) {
      if (kill(-pgid, SIGKILL) != 0 && errno == ESRCH) break;
      usleep(20'000);
    }
  }
  _exit(0);
}

}  // namespace mpviz
