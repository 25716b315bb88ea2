#include "app/gui/run_model.hpp"

#include <algorithm>
#include <chrono>

namespace mpviz::gui {

RunModel::~RunModel() {
  sup_.reset();  // stops and reaps before the log goes away
  log_.reset();
}

void RunModel::reset_view() {
  seen_ = 0;
  fresh_.clear();
  events_.clear();
  lanes_.clear();
  loaded_ = false;
  recording_path_.clear();
  ++generation_;
  ++rewrite_generation_;
}

std::string RunModel::start(const RunRequest& req) {
  sup_.reset();  // a Supervisor runs one run; its destructor stops the old one
  log_ = std::make_unique<EventLog>();
  sup_ = std::make_unique<Supervisor>(*log_);
  reset_view();
  header_ = RecordingHeader{};
  header_.scenario = req.scenario;
  header_.method = req.forkserver ? "forkserver" : req.method == rt::StartMethod::Spawn ? "spawn" : "fork";
  for (const auto& [k, v] : req.params.all()) header_.params.emplace_back(k, v);
  header_.started_unix_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                                std::chrono::system_clock::now().time_since_epoch())
                                .count();
  if (auto ec = sup_->start(req)) {
    sup_.reset();
    log_.reset();
    return ec.message();
  }
  return {};
}

void RunModel::stop() {
  if (sup_ && !sup_->done()) sup_->stop();
  poll();
}

void RunModel::request_stop() {
  if (sup_ && !sup_->done()) sup_->request_stop();
}

bool RunModel::kill(int32_t pid, int sig) { return live() && sup_->kill_process(pid, sig); }

void RunModel::set_speed(double speed) {
  if (live()) sup_->set_speed(speed);
}

StepControl* RunModel::steps() { return live() ? &sup_->steps() : nullptr; }

Recording RunModel::to_recording() const {
  Recording r;
  r.header = header_;
  r.events = events_;
  if (!loaded_) {
    normalize_recording(r.events, sup_ ? sup_->stop_time() : std::nullopt);
    // A Python program (scenario = its .py path) may choose its own method.
    const std::string& sc = r.header.scenario;
    if (sc.size() > 3 && sc.compare(sc.size() - 3, 3, ".py") == 0) r.header.method = method_used(r.events, r.header.method);
  }
  return r;
}

void RunModel::load(Recording rec, const std::string& path) {
  sup_.reset();
  log_.reset();
  reset_view();
  header_ = rec.header;
  add(rec.events);
  loaded_ = true;
  recording_path_ = path;
}

void RunModel::poll() {
  if (!log_) return;
  fresh_.clear();
  seen_ = log_->copy_since(seen_, fresh_);
  if (!fresh_.empty()) add(fresh_);
}

void RunModel::add(std::vector<Event>& fresh) {
  for (const Event& e : fresh) lanes_.apply(e);
  // Keep events_ sorted: arrivals from different processes can be slightly
  // out of order, so merge the sorted batch in instead of appending.
  size_t mid = events_.size();
  auto by_time = [](const Event& a, const Event& b) { return a.t_ns < b.t_ns; };
  // A recording (and most live batches) is already sorted: no sort, no
  // merge buffer the size of the events.
  if (!std::is_sorted(fresh.begin(), fresh.end(), by_time))
    std::stable_sort(fresh.begin(), fresh.end(), by_time);
  if (events_.empty()) {
    events_.swap(fresh);  // a load: take the vector, copy nothing
  } else {
    events_.insert(events_.end(), std::make_move_iterator(fresh.begin()),
                   std::make_move_iterator(fresh.end()));
  }
  if (mid > 0 && events_[mid].t_ns < events_[mid - 1].t_ns) {
    // Only the part of the old events later than the batch's first moves.
    auto first = std::upper_bound(events_.begin(), events_.begin() + static_cast<ptrdiff_t>(mid),
                                  events_[mid].t_ns,
                                  [](int64_t t, const Event& e) { return t < e.t_ns; });
    ++rewrite_generation_;
    std::inplace_merge(first, events_.begin() + static_cast<ptrdiff_t>(mid), events_.end(), by_time);
  }
  fresh.clear();
  ++generation_;
}

bool RunModel::live() const { return sup_ && !sup_->done(); }

ViewStatus RunModel::status() const {
  if (loaded_) return ViewStatus::Recording;
  if (!sup_) return ViewStatus::Idle;
  switch (sup_->status()) {
    case RunStatus::Idle: return ViewStatus::Idle;
    case RunStatus::Running: return ViewStatus::Running;
    case RunStatus::Finished: return ViewStatus::Finished;
    case RunStatus::Stopped: return ViewStatus::Stopped;
    case RunStatus::Failed: return ViewStatus::Failed;
  }
  return ViewStatus::Idle;
}

int64_t RunModel::now_ns() const {
  if (live()) return sup_->rel_now();
  if (lanes_.run_ended()) return lanes_.run_end_ns();
  return lanes_.last_ns();
}

}  // namespace mpviz::gui
