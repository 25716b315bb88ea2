// What the window remembers between runs: language, theme, font scale,
// step mode, the Python interpreter and window size, in a small key=value file
// ($XDG_CONFIG_HOME/mpviz/settings.ini, else ~/.config/mpviz/settings.ini).
// GUI-free; unknown keys and bad values are ignored (the default stays).
#pragma once
#include <string>

namespace mpviz::gui {

struct Settings {
  std::string lang = "zh";     // "zh" | "en"
  std::string theme = "dark";  // "dark" | "light"
  int font_scale = 100;        // percent, 100..250
  bool start_held = false;     // Run starts in step mode
  std::string python;          // Python programs' interpreter ("" = /usr/bin/python3)
  int width = 1280, height = 800;

  bool operator==(const Settings&) const = default;
};

// The settings file's path ("" when neither XDG_CONFIG_HOME nor HOME is set).
std::string settings_path();
// Parses the file's text (never fails: what it cannot read keeps its default).
Settings parse_settings(const std::string& text);
std::string format_settings(const Settings& s);
Settings load_settings(const std::string& path);
// Writes the file (creating its directory); returns "" or an error message.
std::string save_settings(const std::string& path, const Settings& s);

}  // namespace mpviz::gui
