// Python mode's front half, shared by `mpviz run PROGRAM.py` and the GUI
// (File > Open Python program, drag and drop, `gui --open PROGRAM.py`, the
// scenario list's "as Python"): checks that a file is a Python program that
// uses multiprocessing (assets/python/mpviz_check.py under /usr/bin/python3)
// and builds the Supervisor's RunRequest for it. GUI-free.
#pragma once
#include <optional>
#include <string>

#include "engine/control/supervisor.hpp"

namespace mpviz {

// A path that names a Python program rather than a scenario or a recording.
bool is_python_path(const std::string& path);

// "" when `path` can run in Python mode, else one line saying why (without
// the "mpviz: " prefix): no such file, not Python, never imports
// multiprocessing, no /usr/bin/python3. Starts one short python3 process.
std::string check_python_program(const std::string& path);

// The interpreter `mpviz run` uses unless told otherwise (--python, MPVIZ_PYTHON).
inline constexpr const char* kDefaultPython = "/usr/bin/python3";

// "" when `path` is an executable CPython 3.8 or newer (it is asked, with a
// timeout), else one line saying why. A name without '/' is looked up in
// PATH; `resolved` gets the absolute path to run (symlinks kept: a venv's
// python must stay the venv's).
std::string check_python_interpreter(const std::string& path, std::string* resolved = nullptr);

struct PythonRun {
  std::string program;                    // as given (made absolute in the request)
  std::string python;                     // the interpreter; "" = kDefaultPython
  std::optional<rt::StartMethod> method;  // nullopt: the program's own default (fork)
  bool forkserver = false;                // CPython's forkserver (overrides `method`)
  double speed = 1.0;
  std::string exe;          // the mpviz binary (the supervisor's janitor)
  bool start_held = false;  // step mode
  bool trace = true;
};

// Checks the program (check_python_program) and, when it can run, fills
// `req` for Supervisor::start. Returns "" or why it cannot run.
std::string python_run_request(const PythonRun& run, RunRequest& req);

}  // namespace mpviz
