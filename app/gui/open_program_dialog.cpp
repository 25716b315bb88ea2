// File > Open Python program: ImGui has no native file dialog, so a modal
// with a path field and a small browser (the directories and *.py files of
// one directory; click a directory to go in, a file to pick it, double-click
// or Open to open it). Keeps the directory it showed last between openings.
// A program that cannot run (missing, not Python, no multiprocessing) ends
// in the error popup, via AppState::open_program.
#include <imgui.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <string>
#include <system_error>
#include <vector>

#include "app/data_dir.hpp"
#include "app/gui/panels.hpp"
#include "app/gui/theme.hpp"
#include "app/python_program.hpp"

namespace mpviz::gui {
namespace {

namespace fs = std::filesystem;

struct Entry {
  std::string name;
  bool dir = false;
};

struct Browser {
  bool open_now = false;
  std::string dir;          // the directory shown (absolute)
  std::string listed;       // the directory `entries` is for
  std::vector<Entry> entries;
  std::string error;        // why the directory cannot be listed
  char path[1024] = {};     // the path field
  char python[1024] = {};   // the interpreter field (Settings::python)
};
Browser g_browser;

void set_path(const std::string& p) { std::snprintf(g_browser.path, sizeof g_browser.path, "%s", p.c_str()); }

void go_to(const std::string& dir) {
  std::error_code ec;
  fs::path p = fs::weakly_canonical(fs::path(dir), ec);
  g_browser.dir = ec ? dir : p.string();
  g_browser.listed.clear();  // list it again
  set_path(g_browser.dir == "/" ? "/" : g_browser.dir + "/");
}

// Directories first, then *.py files, each sorted by name; hidden ones skipped.
void list_dir() {
  g_browser.listed = g_browser.dir;
  g_browser.entries.clear();
  g_browser.error.clear();
  std::error_code ec;
  fs::directory_iterator it(g_browser.dir, fs::directory_options::skip_permission_denied, ec);
  if (ec) {
    g_browser.error = ec.message();
    return;
  }
  for (const fs::directory_entry& e : it) {
    const std::string name = e.path().filename().string();
    if (name.empty() || name[0] == '.') continue;
    std::error_code ec2;
    const bool dir = e.is_directory(ec2);
    if (dir || (is_python_path(name) && e.is_regular_file(ec2))) g_browser.entries.push_back({name, dir});
  }
  std::sort(g_browser.entries.begin(), g_browser.entries.end(), [](const Entry& a, const Entry& b) {
    return a.dir != b.dir ? a.dir : a.name < b.name;
  });
}

bool is_dir(const std::string& p) {
  std::error_code ec;
  return !p.empty() && fs::is_directory(p, ec);
}

}  // namespace

void request_open_program_dialog(const AppState& s) {
  g_browser.open_now = true;
  if (!s.program.empty()) {
    go_to(fs::path(s.program).parent_path().string());
    set_path(s.program);
  } else {
    std::error_code ec;
    go_to(g_browser.dir.empty() ? fs::current_path(ec).string() : g_browser.dir);
  }
}

void draw_open_program_dialog(AppState& s) {
  // The title is translated; "###" keeps the popup's ID the same in both languages.
  const std::string title = std::string(tr(T::OpenProgramTitle, s.lang)) + "###open_program";
  if (g_browser.open_now) {
    ImGui::OpenPopup(title.c_str());
    g_browser.open_now = false;
  }
  if (!ImGui::BeginPopupModal(title.c_str(), nullptr, ImGuiWindowFlags_AlwaysAutoResize)) return;
  if (g_browser.listed != g_browser.dir) list_dir();

  std::string open;  // set when the user opens a path this frame
  ImGui::TextUnformatted(tr(T::PathLabel, s.lang));
  ImGui::SetNextItemWidth(px(600));
  if (ImGui::IsWindowAppearing()) ImGui::SetKeyboardFocusHere();
  if (ImGui::InputText("##path", g_browser.path, sizeof g_browser.path, ImGuiInputTextFlags_EnterReturnsTrue))
    open = g_browser.path;

  // Where the browser is, and two ways to move: up, or to the tutorial's listings.
  if (ImGui::Button(tr(T::ParentDir, s.lang))) go_to(fs::path(g_browser.dir).parent_path().string());
  ImGui::SameLine();
  if (ImGui::Button(tr(T::TutorialListings, s.lang))) go_to(data_path("listings"));
  ImGui::SameLine();
  ImGui::AlignTextToFramePadding();
  ImGui::TextDisabled("%s", g_browser.dir.c_str());

  ImGui::BeginChild("entries", ImVec2(px(600), px(300)), true);
  if (!g_browser.error.empty()) {
    ImGui::TextColored(ImVec4(1.0f, 0.4f, 0.4f, 1), "%s", g_browser.error.c_str());
  } else if (g_browser.entries.empty()) {
    ImGui::TextDisabled("%s", tr(T::NoPyFiles, s.lang));
  }
  std::string go;  // directory clicked (navigate after the loop: it changes entries)
  for (const Entry& e : g_browser.entries) {
    const std::string full = (fs::path(g_browser.dir) / e.name).string();
    if (e.dir) {
      ImGui::PushStyleColor(ImGuiCol_Text, accent_text());
      if (ImGui::Selectable((e.name + "/").c_str(), false)) go = full;
      ImGui::PopStyleColor();
      continue;
    }
    const bool picked = full == g_browser.path;
    if (ImGui::Selectable(e.name.c_str(), picked, ImGuiSelectableFlags_AllowDoubleClick)) {
      set_path(full);
      if (ImGui::IsMouseDoubleClicked(ImGuiMouseButton_Left)) open = full;
    }
  }
  ImGui::EndChild();
  if (!go.empty()) go_to(go);

  // The interpreter (remembered in the settings): empty is /usr/bin/python3.
  ImGui::TextUnformatted(tr(T::PythonInterpreter, s.lang));
  if (ImGui::IsWindowAppearing()) {
    std::snprintf(g_browser.python, sizeof g_browser.python, "%s", s.settings.python.c_str());
  }
  ImGui::SetNextItemWidth(px(600));
  ImGui::InputTextWithHint("##python", tr(T::PythonInterpreterHint, s.lang), g_browser.python,
                           sizeof g_browser.python);

  if (ImGui::Button(tr(T::Open, s.lang), ImVec2(px(100), 0))) open = g_browser.path;
  ImGui::SameLine();
  if (ImGui::Button(tr(T::Cancel, s.lang), ImVec2(px(100), 0)) || ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Escape), false))
    ImGui::CloseCurrentPopup();

  if (!open.empty()) {
    if (is_dir(open)) {
      go_to(open);  // a directory typed in the field: show it
    } else {
      // Success selects the program; failure fills the error popup, which
      // shows once this dialog is closed.
      ImGui::CloseCurrentPopup();
      const std::string python = g_browser.python;
      const std::string why = python.empty() ? std::string() : check_python_interpreter(python);
      if (!why.empty()) {
        s.error_popup = std::string(tr(T::CannotUsePython, s.lang)) + "\n" + why;
      } else {
        s.settings.python = python;
        s.open_program(open);
      }
    }
  }
  ImGui::EndPopup();
}

}  // namespace mpviz::gui
