// What the window shows: one run (live, through an EventLog + Supervisor) or
// one loaded recording. GUI-free. The GUI calls poll() once per frame; it
// copies only the events that are new since the last poll (never blocks on
// the pipe, allocates nothing when nothing is new).
#pragma once
#include <memory>
#include <string>
#include <vector>

#include "app/gui/lane_model.hpp"
#include "engine/model/event_log.hpp"
#include "engine/recording/recording.hpp"
#include "engine/control/supervisor.hpp"

namespace mpviz::gui {

enum class ViewStatus { Idle, Running, Finished, Stopped, Failed, Recording };

class RunModel {
 public:
  RunModel() = default;
  ~RunModel();  // stops and reaps a live run (via the Supervisor's destructor)
  RunModel(const RunModel&) = delete;
  RunModel& operator=(const RunModel&) = delete;

  // Starts a new run, dropping the previous one (stopping it if live).
  // Returns "" or an error message.
  std::string start(const RunRequest& req);
  void stop();          // blocks up to ~0.3 s + reaping (shutdown only)
  void request_stop();  // non-blocking (Stop button, Esc)
  // Teacher controls on the live run (no-ops without one).
  bool kill(int32_t pid, int sig);
  void set_speed(double speed);
  StepControl* steps();  // nullptr without a live run
  void load(Recording rec, const std::string& path);
  void poll();

  bool live() const;
  ViewStatus status() const;
  // Time of "now" in the run's time base: the live clock while running,
  // else the last event's time.
  int64_t now_ns() const;

  const std::vector<Event>& events() const { return events_; }  // sorted by t_ns
  const LaneModel& lanes() const { return lanes_; }
  const std::string& recording_path() const { return recording_path_; }
  // Bumped whenever events_ changes (views cache on it).
  uint64_t generation() const { return generation_; }
  // Bumped when events_ changed other than by appending at the end (a new
  // run, a load, or a late event merged into the middle): caches that apply
  // events incrementally start over when it changes.
  uint64_t rewrite_generation() const { return rewrite_generation_; }
  bool loaded() const { return loaded_; }
  // The run (or the loaded recording) as a recording: header + normalised events.
  Recording to_recording() const;
  const RecordingHeader& header() const { return header_; }

 private:
  void reset_view();
  void add(std::vector<Event>& fresh);

  std::unique_ptr<EventLog> log_;
  std::unique_ptr<Supervisor> sup_;  // declared after log_: destroyed first
  size_t seen_ = 0;
  std::vector<Event> fresh_;   // reused every frame
  std::vector<Event> events_;  // everything so far, sorted by time
  LaneModel lanes_;
  bool loaded_ = false;
  std::string recording_path_;
  uint64_t generation_ = 0;
  uint64_t rewrite_generation_ = 0;
  RecordingHeader header_;
};

}  // namespace mpviz::gui
