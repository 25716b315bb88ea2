#include "engine/control/death_watch.hpp"

#include <fstream>
#include <sstream>
#include <string>
#include <sys/syscall.h>
#include <unistd.h>

namespace mpviz {

DeathWatch::~DeathWatch() {
  for (auto& [fd, w] : by_fd_) close_fd(fd);
}

void DeathWatch::close_fd(int fd) { ::close(fd); }

void DeathWatch::watch(pid_t pid) {
  int fd = static_cast<int>(syscall(SYS_pidfd_open, pid, 0));
  if (fd < 0) return;  // already gone and reaped: its reaper reported it
  by_fd_[fd] = Watched{pid};
}

void DeathWatch::poll_fds(std::vector<int>& fds) const {
  for (const auto& [fd, w] : by_fd_)
    if (w.dead_since == 0) fds.push_back(fd);
}

void DeathWatch::mark_dead(int fd, int64_t now_ns) {
  auto it = by_fd_.find(fd);
  if (it != by_fd_.end() && it->second.dead_since == 0) it->second.dead_since = now_ns;
}

int DeathWatch::zombie_status(pid_t pid) {
  std::ifstream f("/proc/" + std::to_string(pid) + "/stat");
  std::string s;
  if (!std::getline(f, s)) return -1;
  auto rp = s.rfind(')');
  if (rp == std::string::npos) return -1;
  std::istringstream in(s.substr(rp + 2));
  std::string tok;
  char state = 0;
  in >> state;
  if (state != 'Z') return -1;  // not dead yet, or a new process reusing the pid
  // Fields 4..51 then exit_code (52); we have read field 3 (state).
  for (int field = 4; field <= 51; ++field) in >> tok;
  int code = -1;
  in >> code;
  return in ? code : -1;
}

}  // namespace mpviz
