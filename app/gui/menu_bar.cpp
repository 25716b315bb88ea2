// The menu bar (File / View / Help), the file-path popup behind Save, Open
// and the exports, and the error popup (a broken recording never crashes:
// its message, with the line, shows here).
#include <imgui.h>

#include <cstdio>
#include <cstring>
#include <fstream>

#include "app/gui/panels.hpp"
#include "app/gui/theme.hpp"
#include "engine/recording/chrome_export.hpp"

namespace mpviz::gui {
namespace {

enum class FileOp { None, Save, Open, Chrome, Png };

struct FilePopup {
  FileOp op = FileOp::None;
  bool open_now = false;
  char path[1024] = {};
};
FilePopup g_file;

void ask(FileOp op, const std::string& def) {
  g_file.op = op;
  g_file.open_now = true;
  std::snprintf(g_file.path, sizeof g_file.path, "%s", def.c_str());
}

std::string write_file(const std::string& path, const std::string& text) {
  std::ofstream f(path, std::ios::binary | std::ios::trunc);
  f << text;
  f.close();
  return f ? std::string() : "cannot write " + path;
}

void run_file_op(AppState& s, FileOp op, const std::string& path) {
  char msg[1200];
  switch (op) {
    case FileOp::Open: s.open_recording(path); return;
    case FileOp::Png:
      s.screenshot_request = path;
      s.screenshot_delay = 2;  // the picture is for slides: without this dialog
      return;
    case FileOp::Save:
    case FileOp::Chrome: {
      if (s.run.events().empty()) {
        s.error_popup = tr(T::NothingToSave, s.lang);
        return;
      }
      const Recording rec = s.run.to_recording();
      std::string err = write_file(path, op == FileOp::Save ? to_jsonl(rec) : to_chrome_json(rec));
      if (!err.empty()) {
        s.error_popup = err;
        return;
      }
      std::snprintf(msg, sizeof msg, tr(T::SavedTo, s.lang), path.c_str());
      s.info_line = msg;
      return;
    }
    case FileOp::None: return;
  }
}

std::string default_name(const AppState& s, const char* ext) {
  return "mpviz-" + s.target_slug() + ext;
}

}  // namespace

void draw_menu_bar(AppState& s) {
  if (ImGui::BeginMenuBar()) {
    if (ImGui::BeginMenu(tr(T::File, s.lang))) {
      const bool any = !s.run.events().empty();
      if (ImGui::MenuItem(tr(T::SaveRec, s.lang), nullptr, false, any)) ask(FileOp::Save, default_name(s, ".jsonl"));
      if (ImGui::MenuItem(tr(T::OpenRec, s.lang))) ask(FileOp::Open, default_name(s, ".jsonl"));
      if (ImGui::MenuItem(tr(T::OpenProgram, s.lang))) request_open_program_dialog(s);
      if (ImGui::MenuItem(tr(T::ExportChrome, s.lang), nullptr, false, any))
        ask(FileOp::Chrome, default_name(s, ".trace.json"));
      if (ImGui::MenuItem(tr(T::ExportPng, s.lang))) ask(FileOp::Png, default_name(s, ".png"));
      ImGui::Separator();
      if (ImGui::MenuItem(tr(T::Quit, s.lang))) s.quit_request = true;
      ImGui::EndMenu();
    }
    if (ImGui::BeginMenu(tr(T::ViewMenu, s.lang))) {
      if (ImGui::MenuItem(tr(T::ThemeDark, s.lang), nullptr, s.settings.theme == "dark")) s.settings.theme = "dark";
      if (ImGui::MenuItem(tr(T::ThemeLight, s.lang), nullptr, s.settings.theme == "light")) s.settings.theme = "light";
      ImGui::Separator();
      ImGui::TextDisabled("%s", tr(T::FontScale, s.lang));
      for (int pct : {100, 125, 150, 175, 200, 250}) {
        char label[16];
        std::snprintf(label, sizeof label, "%d %%", pct);
        if (ImGui::MenuItem(label, nullptr, s.settings.font_scale == pct)) s.settings.font_scale = pct;
      }
      ImGui::EndMenu();
    }
    if (ImGui::BeginMenu(tr(T::HelpMenu, s.lang))) {
      if (ImGui::MenuItem(tr(T::HelpShortcuts, s.lang), "F1")) s.show_help = true;
      ImGui::EndMenu();
    }
    ImGui::EndMenuBar();
  }

  if (g_file.open_now) {
    ImGui::OpenPopup("file_path");
    g_file.open_now = false;
  }
  if (ImGui::BeginPopupModal("file_path", nullptr,
                             ImGuiWindowFlags_AlwaysAutoResize | ImGuiWindowFlags_NoTitleBar)) {
    ImGui::TextUnformatted(tr(T::PathLabel, s.lang));
    ImGui::SetNextItemWidth(px(520));
    if (ImGui::IsWindowAppearing()) ImGui::SetKeyboardFocusHere();
    const bool enter = ImGui::InputText("##path", g_file.path, sizeof g_file.path,
                                        ImGuiInputTextFlags_EnterReturnsTrue);
    if (ImGui::Button(tr(T::Ok, s.lang), ImVec2(px(100), 0)) || enter) {
      const FileOp op = g_file.op;
      g_file.op = FileOp::None;
      ImGui::CloseCurrentPopup();
      run_file_op(s, op, g_file.path);
    }
    ImGui::SameLine();
    if (ImGui::Button(tr(T::Cancel, s.lang), ImVec2(px(100), 0))) {
      g_file.op = FileOp::None;
      ImGui::CloseCurrentPopup();
    }
    ImGui::EndPopup();
  }
  draw_open_program_dialog(s);  // same ID stack as the menu that opens it
}

void draw_error_popup(AppState& s) {
  if (!s.error_popup.empty() && !ImGui::IsPopupOpen("error_popup")) ImGui::OpenPopup("error_popup");
  // No title bar: it would show the popup's ID; the text says "error" itself.
  if (ImGui::BeginPopupModal("error_popup", nullptr,
                             ImGuiWindowFlags_AlwaysAutoResize | ImGuiWindowFlags_NoTitleBar)) {
    ImGui::TextColored(ImVec4(1.0f, 0.35f, 0.35f, 1), "%s", tr(T::ErrorTitle, s.lang));
    ImGui::Separator();
    ImGui::TextUnformatted(s.error_popup.c_str());
    if (ImGui::Button(tr(T::Close, s.lang), ImVec2(px(100), 0))) {
      s.error_popup.clear();
      ImGui::CloseCurrentPopup();
    }
    ImGui::EndPopup();
  }
}

}  // namespace mpviz::gui
