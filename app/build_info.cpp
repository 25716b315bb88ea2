#include "app/build_info.hpp"

#include <boost/version.hpp>
#include <imgui.h>

#include <cstdio>

#include "app/data_dir.hpp"
#include "mpviz_git_commit.h"  // generated: MPVIZ_GIT_COMMIT

#ifndef MPVIZ_VERSION
#define MPVIZ_VERSION "unknown"
#endif
#ifndef MPVIZ_PYTHON
#define MPVIZ_PYTHON "/usr/bin/python3"
#endif

namespace mpviz {
namespace {

// "Python 3.11.2", or why not.
std::string python_version() {
  FILE* p = popen(MPVIZ_PYTHON " --version 2>&1", "r");
  if (!p) return "cannot run";
  char buf[256] = {};
  std::string out = std::fgets(buf, sizeof buf, p) ? buf : "";
  const int status = pclose(p);
  while (!out.empty() && (out.back() == '\n' || out.back() == '\r')) out.pop_back();
  if (status != 0 || out.empty()) return "not found";
  return out;
}

}  // namespace

const char* version() { return MPVIZ_VERSION; }

std::string version_report() {
  std::string r = std::string("mpviz ") + MPVIZ_VERSION + "\n";
  r += std::string("commit: ") + MPVIZ_GIT_COMMIT + "\n";
  r += std::string("imgui: ") + IMGUI_VERSION + "\n";
  r += "boost: " + std::to_string(BOOST_VERSION / 100000) + "." + std::to_string(BOOST_VERSION / 100 % 1000) +
       "." + std::to_string(BOOST_VERSION % 100) + "\n";
  r += std::string("python: ") + MPVIZ_PYTHON + " (" + python_version() + ")\n";
  const std::string& data = data_dir();
  r += "data: " + (data.empty() ? std::string("not found (set MPVIZ_DATA_DIR)") : data) + "\n";
  return r;
}

}  // namespace mpviz
