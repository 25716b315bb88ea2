#include "app/gui/explore_session.hpp"

#include <algorithm>
#include <map>

namespace mpviz::gui {

ExploreSession::~ExploreSession() { cancel(); }

void ExploreSession::cancel() {
  cancel_ = true;
  if (thread_.joinable()) thread_.join();
  cancel_ = false;
}

void ExploreSession::start(const RunRequest& req, int runs, const std::string& strategy, uint64_t seed) {
  cancel();
  {
    std::lock_guard lk(mu_);
    groups_.clear();
  }
  done_ = 0;
  total_ = runs;
  busy_ = true;
  ++generation_;
  thread_ = std::thread([this, req, runs, strategy, seed] { work(req, runs, strategy, seed); });
}

void ExploreSession::work(RunRequest req, int runs, std::string strategy, uint64_t seed) {
  explore::DriveLimits lim;
  lim.max_seconds = 20;
  lim.cancel = &cancel_;
  explore::DfsExplorer dfs;
  int est_steps = 50;
  std::map<explore::Outcome, size_t> index;
  for (int i = 0; i < runs && !cancel_; ++i) {
    std::unique_ptr<explore::Strategy> s;
    if (strategy == "systematic") {
      if (!dfs.has_next()) break;
      s = dfs.next_run();
    } else if (strategy == "pct") {
      s = explore::pct_strategy(seed + static_cast<uint64_t>(i), 3, est_steps);
    } else {
      s = explore::random_strategy(seed + static_cast<uint64_t>(i));
    }
    auto res = explore::controlled_run(req, s.get(), lim);
    if (strategy == "systematic") dfs.finish_run();
    if (res.status == "error") break;
    if (!res.steps.empty()) est_steps = static_cast<int>(res.steps.size());
    if (res.status != "pruned") {
      auto o = explore::outcome_of(res.status, res.events);
      std::lock_guard lk(mu_);
      auto it = index.find(o);
      if (it == index.end()) {
        index[o] = groups_.size();
        groups_.push_back({o, 1, std::move(res.events), std::move(res.steps)});
      } else {
        ++groups_[it->second].count;
      }
    }
    ++done_;
    ++generation_;
  }
  if (strategy == "systematic") total_ = done_.load();  // the tree's size, not the bound
  busy_ = false;
  ++generation_;
}

std::vector<ExploreGroup> ExploreSession::groups() const {
  std::lock_guard lk(mu_);
  auto g = groups_;
  std::stable_sort(g.begin(), g.end(), [](const ExploreGroup& a, const ExploreGroup& b) { return a.count > b.count; });
  return g;
}

}  // namespace mpviz::gui
