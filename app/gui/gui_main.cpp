// run_gui: checks the options, opens the GLFW window with an OpenGL 3.3 core
// context, runs the frame loop, and shuts everything down (a live run is
// stopped and reaped by the RunModel's Supervisor on the way out).
#include "app/gui/gui_main.hpp"

#include <glad/gl.h>
#define GLFW_INCLUDE_NONE
#include <GLFW/glfw3.h>
#include <imgui.h>
#include <backends/imgui_impl_glfw.h>
#include <backends/imgui_impl_opengl3.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <string_view>
#include <unistd.h>
#include <thread>

#include "app/gui/app_state.hpp"
#include "app/gui/fonts.hpp"
#include "app/gui/frame_stats.hpp"
#include "app/gui/main_window.hpp"
#include "app/gui/panels.hpp"
#include "app/gui/screenshot.hpp"
#include "app/gui/settings.hpp"
#include "app/gui/theme.hpp"
#include "app/gui/timeline_view.hpp"
#include "app/python_program.hpp"
#include "scenarios/registry.hpp"

namespace mpviz::gui {
namespace {

using Clock = std::chrono::steady_clock;

constexpr double kFramePeriod = 1.0 / 60.0;
// With no run and no input for a second, redraw only a few times a second
// (any input wakes the loop at once): an idle window costs next to nothing.
constexpr double kIdleAfter = 1.0, kIdlePeriod = 0.25;

volatile std::sig_atomic_t g_quit_signal = 0;
std::string g_dropped;  // last file dropped on the window (GLFW drop callback)
void on_drop(GLFWwindow*, int count, const char** paths) {
  if (count > 0 && paths[0]) g_dropped = paths[0];
}
void on_quit_signal(int) { g_quit_signal = 1; }

// Did the user do anything this frame? (Mouse, wheel, keys, text.)
bool had_input(const ImGuiIO& io) {
  if (io.MouseDelta.x != 0 || io.MouseDelta.y != 0 || io.MouseWheel != 0 ||
      io.MouseWheelH != 0 || io.InputQueueCharacters.Size > 0)
    return true;
  for (bool down : io.MouseDown)
    if (down) return true;
  for (bool down : io.KeysDown)
    if (down) return true;
  return false;
}

// Milliseconds since the kernel started this process (exec, dynamic linking,
// loading a recording, the window and the first frame all count). The start
// time comes from /proc/self/stat in clock ticks (10 ms), truncated, so the
// figure can be up to one tick too high, never too low.
double ms_since_process_start() {
  std::FILE* f = std::fopen("/proc/self/stat", "r");
  if (!f) return -1;
  char buf[1024];
  size_t n = std::fread(buf, 1, sizeof buf - 1, f);
  std::fclose(f);
  buf[n] = 0;
  const char* p = std::strrchr(buf, ')');  // the name may contain spaces
  if (!p) return -1;
  unsigned long long start_ticks = 0;
  // After ") ": state is field 3; starttime is field 22.
  int field = 2;
  for (const char* q = p + 1; *q && field < 22; ++q)
    if (*q == ' ') {
      ++field;
      if (field == 22) start_ticks = std::strtoull(q + 1, nullptr, 10);
    }
  timespec now{};
  clock_gettime(CLOCK_BOOTTIME, &now);
  const double now_ms = static_cast<double>(now.tv_sec) * 1e3 + static_cast<double>(now.tv_nsec) / 1e6;
  return now_ms - static_cast<double>(start_ticks) * 1e3 / static_cast<double>(sysconf(_SC_CLK_TCK));
}

int bad_input(const std::string& msg) {
  std::fprintf(stderr, "mpviz: %s\n", msg.c_str());
  return 2;
}

std::string last_glfw_error() {
  const char* desc = nullptr;
  glfwGetError(&desc);
  return desc ? desc : "unknown error";
}

// The checked options, ready for the window.
struct Setup {
  int selected = 0;
  Lang lang = Lang::Zh;
  Settings settings;  // as the file says, with the command line's overrides
  std::string settings_file;
  std::optional<Recording> recording;
  std::string program;  // --open PROGRAM.py (checked)
};

int check_options(const GuiOptions& opt, Setup& out) {
  const ScenarioList& list = scenarios::all();
  const std::string want = opt.scenario.empty() ? scenarios::kDefaultScenario : opt.scenario;
  out.selected = -1;
  for (size_t i = 0; i < list.size(); ++i)
    if (list[i].info.name == want) out.selected = static_cast<int>(i);
  if (out.selected < 0) {
    std::string names;
    for (const auto& s : list) names += (names.empty() ? "" : ", ") + s.info.name;
    return bad_input("unknown scenario '" + want + "' (try: " + names + ")");
  }
  if (!std::isfinite(opt.speed) || opt.speed < 0)
    return bad_input("--speed must be a number >= 0 (0 skips sleeps)");
  if (!opt.lang.empty() && opt.lang != "zh" && opt.lang != "en")
    return bad_input("--lang must be zh or en");
  if (!opt.theme.empty() && opt.theme != "dark" && opt.theme != "light")
    return bad_input("--theme must be dark or light");
  if (opt.font_scale != 0 && (opt.font_scale < 100 || opt.font_scale > 250))
    return bad_input("--font-scale must be a percentage from 100 to 250");
  out.settings_file = settings_path();
  out.settings = load_settings(out.settings_file);
  const std::string lang = opt.lang.empty() ? out.settings.lang : opt.lang;
  out.lang = lang == "en" ? Lang::En : Lang::Zh;
  if (opt.quit_after && (!std::isfinite(*opt.quit_after) || *opt.quit_after < 0))
    return bad_input("--quit-after must be a number of seconds >= 0");
  if (!opt.screenshot.empty() && !opt.quit_after)
    return bad_input("--screenshot needs --quit-after SECONDS (when to take it)");
  if (opt.bench_frames && *opt.bench_frames <= 0)
    return bad_input("--bench-frames must be a number of frames > 0");
  if (is_python_path(opt.open_recording)) {
    // A Python program: checked now, so a bad one exits 2 before any window.
    std::string why = check_python_program(opt.open_recording);
    if (!why.empty()) return bad_input(why);
    out.program = opt.open_recording;
  } else if (!opt.open_recording.empty()) {
    LoadResult r = load_jsonl_file(opt.open_recording);
    if (!r.recording) return bad_input("cannot open '" + opt.open_recording + "': " + r.error);
    if (!r.warning.empty())
      std::fprintf(stderr, "mpviz: warning: %s: %s\n", opt.open_recording.c_str(),
                   r.warning.c_str());
    // Select the recorded scenario when it is one of ours.
    for (size_t i = 0; i < list.size(); ++i)
      if (list[i].info.name == r.recording->header.scenario) out.selected = static_cast<int>(i);
    out.recording = std::move(r.recording);
  }
  return 0;
}

std::vector<std::string_view> scenario_texts() {
  std::vector<std::string_view> texts;
  for (const auto& s : scenarios::all()) {
    texts.push_back(s.info.title_zh);
    texts.push_back(s.info.explain_zh);
    for (const auto& p : s.info.params) texts.push_back(p.help_zh);
  }
  return texts;
}

}  // namespace

int run_gui(const GuiOptions& opt) {
  Setup setup;
  if (int rc = check_options(opt, setup)) return rc;

  if (!glfwInit())
    return std::fprintf(stderr, "mpviz: no display (cannot initialise GLFW: %s)\n",
                        last_glfw_error().c_str()), 1;
  glfwWindowHint(GLFW_CONTEXT_VERSION_MAJOR, 3);
  glfwWindowHint(GLFW_CONTEXT_VERSION_MINOR, 3);
  glfwWindowHint(GLFW_OPENGL_PROFILE, GLFW_OPENGL_CORE_PROFILE);
  glfwWindowHint(GLFW_OPENGL_FORWARD_COMPAT, GLFW_TRUE);
  const int win_w = setup.settings.width, win_h = setup.settings.height;
  GLFWwindow* window =
      glfwCreateWindow(win_w, win_h, "mpviz — 多进程 multiprocessing", nullptr, nullptr);
  if (!window) {
    std::fprintf(stderr, "mpviz: no display (cannot create an OpenGL 3.3 window: %s)\n",
                 last_glfw_error().c_str());
    glfwTerminate();
    return 1;
  }
  glfwMakeContextCurrent(window);
  if (!gladLoadGL(glfwGetProcAddress)) {
    std::fprintf(stderr, "mpviz: no display (cannot load OpenGL 3.3 functions)\n");
    glfwDestroyWindow(window);
    glfwTerminate();
    return 1;
  }
  // Benchmarks measure the frame's own cost, not the display's refresh.
  glfwSwapInterval(opt.bench_frames ? 0 : 1);

  // Closing by signal goes through the same orderly shutdown as the window's
  // close button, so no scenario process is left behind.
  struct sigaction sa {};
  sa.sa_handler = on_quit_signal;
  sigaction(SIGINT, &sa, nullptr);
  sigaction(SIGTERM, &sa, nullptr);

  IMGUI_CHECKVERSION();
  ImGui::CreateContext();
  ImGuiIO& io = ImGui::GetIO();
  io.IniFilename = nullptr;  // the layout is fixed; write no imgui.ini
  // The command line's --theme / --font-scale / --step hold for this
  // session; the settings file changes only when the user changes them.
  Settings shown = setup.settings;
  if (!opt.theme.empty()) shown.theme = opt.theme;
  if (opt.font_scale) shown.font_scale = opt.font_scale;
  if (opt.step) shown.start_held = true;
  const std::vector<std::string_view> texts = scenario_texts();
  float scale = static_cast<float>(shown.font_scale) / 100.0f;
  apply_theme(shown.theme == "light", scale);
  load_fonts(kFontSize * scale, texts);
  ImGui_ImplGlfw_InitForOpenGL(window, true);
  glfwSetDropCallback(window, on_drop);
  // Timed runs (screenshots, tests, --bench-frames): park the pointer on the
  // status line so no hover tooltip covers the picture and a benchmark does
  // not depend on where the X server happens to put the pointer.
  if (opt.quit_after || opt.bench_frames) glfwSetCursorPos(window, 4, win_h - 4);
  ImGui_ImplOpenGL3_Init("#version 330 core");

  int exit_code = 0;
  {
    AppState state;
    state.lang = setup.lang;
    state.settings = state.settings_loaded = shown;
    state.settings_file = setup.settings_file;
    state.scenarios = &scenarios::all();
    state.selected = setup.selected;
    for (const auto& def : *state.scenarios)
      state.params.push_back(ParamValues::defaults(def.info.params));
    state.exe = opt.exe;
    if (opt.speed == 0) {
      state.skip_sleeps = true;
    } else {
      state.speed = static_cast<float>(std::clamp(opt.speed, 0.1, 100.0));
    }
    TimelineView timeline;
    Settings applied = shown;  // what the style and fonts were built for
    if (!setup.program.empty()) state.open_program(setup.program);
    if (setup.recording) {
      state.select_recorded(setup.recording->header.scenario);
      state.run.load(std::move(*setup.recording), opt.open_recording);
    }
    else if (opt.autorun) state.start_run();
    if (opt.explore > 0) {
      state.explore_runs = opt.explore;
      state.explore_strategy = opt.explore_strategy == "pct" ? 1 : opt.explore_strategy == "systematic" ? 2 : 0;
      state.explore_tab_request = true;
      state.start_explore();
    }
    if (!state.message.empty()) std::fprintf(stderr, "mpviz: %s\n", state.message.c_str());

    FrameStats stats(opt.bench_frames.value_or(0));
    double first_frame_ms = 0;  // --bench-frames: first frame swapped, since exec
    const auto t_start = Clock::now();
    auto last_active = t_start;
    int replay_pending = opt.explore_replay;
    while (!glfwWindowShouldClose(window) && !g_quit_signal) {
      const auto f0 = Clock::now();
      glfwPollEvents();
      const double now_s = std::chrono::duration<double>(f0 - t_start).count();
      state.refresh(now_s);
      // --explore-replay K: once the exploration is over, replay outcome K live.
      if (replay_pending > 0 && !state.explore.busy() && !state.explore_groups.empty()) {
        state.replay_explore_group(static_cast<size_t>(replay_pending - 1));
        replay_pending = 0;
      }
      if (!g_dropped.empty()) {
        state.open_file(g_dropped);  // .py: a program; else a recording
        g_dropped.clear();
      }
      // Theme and font size changed in the View menu: rebuild between frames.
      if (state.settings.theme != applied.theme || state.settings.font_scale != applied.font_scale) {
        scale = static_cast<float>(state.settings.font_scale) / 100.0f;
        apply_theme(state.settings.theme == "light", scale);
        if (state.settings.font_scale != applied.font_scale) {
          io.Fonts->Clear();
          load_fonts(kFontSize * scale, texts);
          ImGui_ImplOpenGL3_DestroyFontsTexture();
          ImGui_ImplOpenGL3_CreateFontsTexture();
        }
        applied = state.settings;
      }

      ImGui_ImplOpenGL3_NewFrame();
      ImGui_ImplGlfw_NewFrame();
      ImGui::NewFrame();
      if (had_input(io) || state.run.live() || state.playing) last_active = f0;
      const double zoom = handle_shortcuts(state);
      if (zoom != 1.0) timeline.zoom(zoom);
      draw_main_window(state, timeline);
      ImGui::Render();

      int fbw = 0, fbh = 0;
      glfwGetFramebufferSize(window, &fbw, &fbh);
      glViewport(0, 0, fbw, fbh);
      float bg[4];
      clear_color(bg);
      glClearColor(bg[0], bg[1], bg[2], bg[3]);
      glClear(GL_COLOR_BUFFER_BIT);
      ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());

      const double elapsed = std::chrono::duration<double>(Clock::now() - t_start).count();
      const bool quit_now = opt.quit_after && elapsed >= *opt.quit_after;
      if (quit_now && !opt.screenshot.empty()) {
        std::string err = write_screenshot(opt.screenshot, fbw, fbh);
        if (!err.empty()) {
          std::fprintf(stderr, "mpviz: screenshot: %s\n", err.c_str());
          exit_code = 1;
        }
      }
      if (!state.screenshot_request.empty() && state.screenshot_delay > 0) {
        --state.screenshot_delay;
      } else if (!state.screenshot_request.empty()) {  // File > Export PNG
        // The timeline panel only (for slides), in framebuffer pixels.
        const auto& r = state.timeline_rect;
        const float sx = static_cast<float>(fbw) / std::max(1.0f, ImGui::GetIO().DisplaySize.x);
        const float sy = static_cast<float>(fbh) / std::max(1.0f, ImGui::GetIO().DisplaySize.y);
        std::string err = r[2] > 0 && r[3] > 0
            ? write_screenshot_crop(state.screenshot_request, fbw, fbh, static_cast<int>(r[0] * sx),
                                    static_cast<int>(r[1] * sy), static_cast<int>(r[2] * sx),
                                    static_cast<int>(r[3] * sy))
            : write_screenshot(state.screenshot_request, fbw, fbh);
        char msg[1200];
        std::snprintf(msg, sizeof msg, tr(T::SavedTo, state.lang), state.screenshot_request.c_str());
        if (err.empty()) state.info_line = msg;
        else state.error_popup = err;
        state.screenshot_request.clear();
      }
      glfwSwapBuffers(window);
      if (state.quit_request) break;

      const double frame_s = std::chrono::duration<double>(Clock::now() - f0).count();
      if (opt.bench_frames) {
        if (stats.count() == 0) first_frame_ms = ms_since_process_start();
        stats.add(frame_s * 1000.0);
        if (stats.count() >= *opt.bench_frames) {
          std::string j = stats.json();  // {...}: add when the first frame was presented
          char extra[64];
          std::snprintf(extra, sizeof extra, ",\"first_frame_ms\":%.1f}", first_frame_ms);
          j.pop_back();
          j += extra;
          std::printf("%s\n", j.c_str());
          std::fflush(stdout);
          break;
        }
        continue;  // no pacing: measure back-to-back frames
      }
      if (quit_now) break;
      // Pace to ~60 fps even where vsync does nothing (Xvfb), waking at once
      // on input. The run's processes need the CPU more than we do.
      double period = kFramePeriod;
      if (std::chrono::duration<double>(Clock::now() - last_active).count() > kIdleAfter)
        period = kIdlePeriod;
      if (opt.quit_after)  // wake in time for --quit-after
        period = std::min(period, std::max(0.0, *opt.quit_after - elapsed) + 0.001);
      if (frame_s < period) glfwWaitEventsTimeout(period - frame_s);
    }
    // Remember what the user changed (language, theme, size, step mode).
    int ww = 0, wh = 0;
    glfwGetWindowSize(window, &ww, &wh);
    if (ww != win_w || wh != win_h) state.settings.width = ww, state.settings.height = wh;
    if (!(state.settings == state.settings_loaded) && !opt.bench_frames) {
      // Keep what the command line only overrode for this session.
      Settings keep = state.settings;
      if (keep.theme == shown.theme && !opt.theme.empty()) keep.theme = setup.settings.theme;
      if (keep.font_scale == shown.font_scale && opt.font_scale) keep.font_scale = setup.settings.font_scale;
      if (keep.start_held == shown.start_held && opt.step) keep.start_held = setup.settings.start_held;
      if (!(keep == setup.settings)) {
        std::string err = save_settings(state.settings_file, keep);
        if (!err.empty()) std::fprintf(stderr, "mpviz: warning: settings not saved: %s\n", err.c_str());
      }
    }
    // ~AppState: a live run is stopped and every process reaped here.
  }

  ImGui_ImplOpenGL3_Shutdown();
  ImGui_ImplGlfw_Shutdown();
  ImGui::DestroyContext();
  glfwDestroyWindow(window);
  glfwTerminate();
  return exit_code;
}

}  // namespace mpviz::gui
