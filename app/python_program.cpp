#include "app/python_program.hpp"

#include <cerrno>
#include <climits>
#include <cstdlib>
#include <csignal>
#include <cstdio>
#include <ctime>
#include <fcntl.h>
#include <poll.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "app/data_dir.hpp"

#ifndef MPVIZ_TRACER_EXT_DIR
#define MPVIZ_TRACER_EXT_DIR ""  // no C extension built: the pure-Python tracer
#endif

extern char** environ;

namespace mpviz {
namespace {

constexpr const char* kPython = kDefaultPython;
constexpr int kInterpreterTimeoutMs = 10000;

std::string tracer_dir() { return data_path("python"); }

// First line of the checker's stderr, without its "mpviz: " prefix.
std::string first_line(std::string text) {
  if (auto nl = text.find('\n'); nl != std::string::npos) text.resize(nl);
  const std::string prefix = "mpviz: ";
  if (text.rfind(prefix, 0) == 0) text.erase(0, prefix.size());
  return text;
}

}  // namespace

std::string check_python_interpreter(const std::string& path, std::string* resolved) {
  std::string exe = path;
  if (path.empty()) return "--python needs a path to a Python interpreter";
  if (path.find('/') == std::string::npos) {  // a name: look it up in PATH
    exe.clear();
    const char* env_path = getenv("PATH");
    std::string dirs = env_path ? env_path : "";
    for (size_t at = 0; at <= dirs.size();) {
      size_t end = dirs.find(':', at);
      if (end == std::string::npos) end = dirs.size();
      std::string cand = (end > at ? dirs.substr(at, end - at) : std::string(".")) + "/" + path;
      if (access(cand.c_str(), X_OK) == 0) {
        exe = cand;
        break;
      }
      at = end + 1;
    }
    if (exe.empty()) return "no Python interpreter '" + path + "' in PATH";
  }
  if (exe[0] != '/') {
    char cwd[PATH_MAX];
    if (getcwd(cwd, sizeof cwd)) exe = std::string(cwd) + "/" + exe;
  }
  struct stat st;
  if (stat(exe.c_str(), &st) != 0) return "no such Python interpreter: '" + path + "'";
  if (!S_ISREG(st.st_mode) || access(exe.c_str(), X_OK) != 0)
    return "'" + path + "' is not an executable Python interpreter";
  int fds[2];
  if (pipe2(fds, O_CLOEXEC) != 0) return "cannot run '" + path + "'";
  std::string a0 = exe, a1 = "-c", a2 = "import sys; print(sys.version_info[:2])";
  char* argv[] = {a0.data(), a1.data(), a2.data(), nullptr};
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(&fa, fds[1], 1);
  posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
  pid_t pid = 0;
  const int rc = posix_spawn(&pid, exe.c_str(), &fa, nullptr, argv, environ);
  posix_spawn_file_actions_destroy(&fa);
  close(fds[1]);
  if (rc != 0) {
    close(fds[0]);
    return "'" + path + "' is not an executable Python interpreter";
  }
  std::string out;
  bool timed_out = false;
  {
    timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    for (;;) {
      timespec t;
      clock_gettime(CLOCK_MONOTONIC, &t);
      const long waited = (t.tv_sec - t0.tv_sec) * 1000 + (t.tv_nsec - t0.tv_nsec) / 1000000;
      if (waited >= kInterpreterTimeoutMs) {
        timed_out = true;
        break;
      }
      pollfd p{fds[0], POLLIN, 0};
      const int n = poll(&p, 1, static_cast<int>(kInterpreterTimeoutMs - waited));
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) continue;  // the loop's clock decides
      char buf[256];
      const ssize_t r = read(fds[0], buf, sizeof buf);
      if (r < 0 && errno == EINTR) continue;
      if (r <= 0) break;
      if (out.size() < 1024) out.append(buf, static_cast<size_t>(r));
    }
  }
  close(fds[0]);
  if (timed_out) kill(pid, SIGKILL);
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (timed_out) return "'" + path + "' did not answer as a Python interpreter within 10 s";
  int major = 0, minor = 0;
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0 ||
      std::sscanf(out.c_str(), "(%d, %d)", &major, &minor) != 2)
    return "'" + path + "' is not a Python interpreter";
  if (major < 3 || (major == 3 && minor < 8))
    return "'" + path + "' is Python " + std::to_string(major) + "." + std::to_string(minor) +
           "; mpviz needs Python 3.8 or newer";
  if (resolved) *resolved = exe;
  return {};
}

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
  std::string python = kPython;
  if (!run.python.empty())
    if (std::string why = check_python_interpreter(run.python, &python); !why.empty()) return why;
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
  req.python_exe = python;
  // The tracer loads the extension only into the CPython it was built for.
  // The C extension: an installed mpviz's own (PREFIX/lib/mpviz/tracer_ext,
  // beside PREFIX/bin), else the build tree's; neither: the pure-Python tracer.
  std::string exe_path = self_exe_path();
  std::string installed_ext = exe_path.substr(0, exe_path.rfind('/') + 1) + "../lib/mpviz/tracer_ext";
  req.python_ext_dir = access(installed_ext.c_str(), R_OK) == 0 ? installed_ext : std::string(MPVIZ_TRACER_EXT_DIR);
  return {};
}

}  // namespace mpviz
