#include "app/data_dir.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>

#ifndef MPVIZ_SOURCE_ASSETS_DIR
#define MPVIZ_SOURCE_ASSETS_DIR ""
#endif

namespace mpviz {
namespace {

std::string parent_dir(const std::string& path) {
  auto slash = path.rfind('/');
  if (slash == std::string::npos) return ".";
  if (slash == 0) return "/";
  return path.substr(0, slash);
}

std::string lookup() {
  for (const std::string& dir : data_dir_candidates(self_exe_path(), std::getenv("MPVIZ_DATA_DIR"),
                                                    MPVIZ_SOURCE_ASSETS_DIR))
    if (is_data_dir(dir)) return dir;
  return {};
}

}  // namespace

std::string self_exe_path() {
  char buf[4096];
  ssize_t n = readlink("/proc/self/exe", buf, sizeof buf - 1);
  if (n <= 0) return {};
  buf[n] = 0;
  return buf;
}

std::vector<std::string> data_dir_candidates(const std::string& exe, const char* env_value,
                                             const std::string& source_assets) {
  std::vector<std::string> out;
  if (!exe.empty() && exe[0] == '/') {
    std::string prefix = parent_dir(parent_dir(exe));  // PREFIX of PREFIX/bin/mpviz
    out.push_back((prefix == "/" ? std::string() : prefix) + "/share/mpviz");
  }
  if (env_value && *env_value) {
    std::string env = env_value;
    while (env.size() > 1 && env.back() == '/') env.pop_back();
    out.push_back(env);
  }
  if (!source_assets.empty()) out.push_back(source_assets);
  return out;
}

bool is_data_dir(const std::string& dir) {
  struct stat st;
  return !dir.empty() && stat((dir + "/python/sitecustomize.py").c_str(), &st) == 0 && S_ISREG(st.st_mode);
}

const std::string& data_dir() {
  static const std::string dir = lookup();
  return dir;
}

std::string data_path(const std::string& rel) { return data_dir() + "/" + rel; }

}  // namespace mpviz
