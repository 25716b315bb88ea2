#include "app/python_program.hpp"

#include <cerrno>
#include <climits>
#include <cstdlib>
#include <fcntl.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "app/data_dir.hpp"

extern char** environ;

namespace mpviz {
namespace {

constexpr const char* kPython = "/usr/bin/python3";

std::string tracer_dir() { return data_path("python"); }

// First line of the checker's stderr, without its "mpviz: " prefix.
std::string first_line(std::string text) {
  if (auto nl = text.find('\n'); nl != std::string::npos) text.resize(nl);
  const std::string prefix = "mpviz: ";
  if (text.rfind(prefix, 0) == 0) text.erase(0, prefix.size());
  return text;
}

}  // namespace

bool is_python_path(const std::string& path) {
  return path.size() > 3 && path.compare(path.size() - 3, 3, ".py") == 0;
}

std::string check_python_program(const std::string& path) {
  struct stat st;
  if (stat(path.c_str(), &st) != 0 || !S_ISREG(st.st_mode))
    return "no such Python program: '" + path + "'";
  if (data_dir().empty())
    return "cannot find mpviz's data (python/, listings/): looked in ../share/mpviz beside the "
           "binary, $MPVIZ_DATA_DIR and the source tree";
  // The checker's stderr comes back through a pipe, so the GUI can show it.
  int fds[2];
  if (pipe2(fds, O_CLOEXEC) != 0) return "cannot run " + std::string(kPython);
  const std::string check = tracer_dir() + "/mpviz_check.py";
  std::string a0 = "python3", a1 = "-I";
  std::string a2 = check, a3 = path;
  char* argv[] = {a0.data(), a1.data(), a2.data(), a3.data(), nullptr};
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_adddup2(&fa, fds[1], 2);
  pid_t pid = 0;
  const int rc = posix_spawn(&pid, kPython, &fa, nullptr, argv, environ);
  posix_spawn_file_actions_destroy(&fa);
  close(fds[1]);
  if (rc != 0) {
    close(fds[0]);
    return "cannot run " + std::string(kPython);
  }
  std::string err;
  char buf[512];
  for (ssize_t n; (n = read(fds[0], buf, sizeof buf)) != 0;) {
    if (n < 0) {
      if (errno == EINTR) continue;
      break;
    }
    if (err.size() < 4096) err.append(buf, static_cast<size_t>(n));
  }
  close(fds[0]);
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (!WIFEXITED(status)) return "cannot run " + std::string(kPython);
  if (WEXITSTATUS(status) == 0) return {};
  std::string why = first_line(err);
  return why.empty() ? "cannot check '" + path + "' with " + kPython : why;
}

std::string python_run_request(const PythonRun& run, RunRequest& req) {
  if (std::string why = check_python_program(run.program); !why.empty()) return why;
  char resolved[PATH_MAX];
  const std::string program = realpath(run.program.c_str(), resolved) ? resolved : run.program;
  req = RunRequest{};
  req.scenario = program;  // only a label in Python mode (and the recording's "scenario")
  req.method = run.method.value_or(rt::StartMethod::Fork);  // Python 3.11 on Linux: fork
  req.method_given = run.method.has_value() || run.forkserver;
  req.forkserver = run.forkserver;
  req.speed = run.speed;
  req.exe = run.exe;
  req.start_held = run.start_held;
  req.trace = run.trace;
  req.python_program = program;
  req.python_path = tracer_dir();
  return {};
}

}  // namespace mpviz
