#include "app/gui/settings.hpp"

#include <sys/stat.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>

namespace mpviz::gui {
namespace {

bool parse_int(const std::string& v, int lo, int hi, int& out) {
  char* end = nullptr;
  errno = 0;
  long x = std::strtol(v.c_str(), &end, 10);
  if (v.empty() || *end != 0 || errno != 0 || x < lo || x > hi) return false;
  out = static_cast<int>(x);
  return true;
}

std::string trim(const std::string& s) {
  size_t a = s.find_first_not_of(" \t\r");
  if (a == std::string::npos) return {};
  size_t b = s.find_last_not_of(" \t\r");
  return s.substr(a, b - a + 1);
}

// mkdir -p for the settings directory.
bool make_dirs(const std::string& dir) {
  for (size_t i = 1; i <= dir.size(); ++i) {
    if (i < dir.size() && dir[i] != '/') continue;
    std::string part = dir.substr(0, i);
    if (mkdir(part.c_str(), 0755) != 0 && errno != EEXIST) return false;
  }
  return true;
}

}  // namespace

std::string settings_path() {
  const char* xdg = std::getenv("XDG_CONFIG_HOME");
  if (xdg && *xdg) return std::string(xdg) + "/mpviz/settings.ini";
  const char* home = std::getenv("HOME");
  if (home && *home) return std::string(home) + "/.config/mpviz/settings.ini";
  return {};
}

Settings parse_settings(const std::string& text) {
  Settings s;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    line = trim(line);
    if (line.empty() || line[0] == '#' || line[0] == ';') continue;
    size_t eq = line.find('=');
    if (eq == std::string::npos) continue;
    const std::string k = trim(line.substr(0, eq)), v = trim(line.substr(eq + 1));
    if (k == "lang" && (v == "zh" || v == "en")) s.lang = v;
    else if (k == "theme" && (v == "dark" || v == "light")) s.theme = v;
    else if (k == "font_scale") parse_int(v, 100, 250, s.font_scale);
    else if (k == "start_held" && (v == "0" || v == "1")) s.start_held = v == "1";
    else if (k == "python") s.python = v;  // checked when used (it may be gone since)
    else if (k == "width") parse_int(v, 640, 8192, s.width);
    else if (k == "height") parse_int(v, 480, 8192, s.height);
  }
  return s;
}

std::string format_settings(const Settings& s) {
  std::ostringstream o;
  o << "# mpviz settings (written by the window)\n"
    << "lang=" << s.lang << "\n"
    << "theme=" << s.theme << "\n"
    << "font_scale=" << s.font_scale << "\n"
    << "start_held=" << (s.start_held ? 1 : 0) << "\n"
    << "python=" << s.python << "\n"
    << "width=" << s.width << "\n"
    << "height=" << s.height << "\n";
  return o.str();
}

Settings load_settings(const std::string& path) {
  if (path.empty()) return {};
  std::ifstream f(path);
  if (!f) return {};
  std::stringstream ss;
  ss << f.rdbuf();
  return parse_settings(ss.str());
}

std::string save_settings(const std::string& path, const Settings& s) {
  if (path.empty()) return "no settings directory (HOME is not set)";
  size_t slash = path.rfind('/');
  if (slash != std::string::npos && slash > 0 && !make_dirs(path.substr(0, slash)))
    return "cannot create " + path.substr(0, slash) + ": " + std::strerror(errno);
  const std::string tmp = path + ".tmp";
  {
    std::ofstream f(tmp, std::ios::trunc);
    f << format_settings(s);
    if (!f) return "cannot write " + tmp;
  }
  if (std::rename(tmp.c_str(), path.c_str()) != 0)
    return "cannot replace " + path + ": " + std::strerror(errno);
  return {};
}

}  // namespace mpviz::gui
