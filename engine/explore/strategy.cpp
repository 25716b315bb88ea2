#include "engine/explore/strategy.hpp"

#include <algorithm>

namespace mpviz::explore {

namespace {

using Key = std::tuple<std::string, int, std::string>;
Key key_of(const ScheduleStep& s) { return {s.proc, static_cast<int>(s.kind), s.obj}; }

class RandomStrategy : public Strategy {
 public:
  explicit RandomStrategy(uint64_t seed) : rng_(seed) {}
  int choose(const std::vector<ReadyOp>& ready, bool) override {
    return static_cast<int>(std::uniform_int_distribution<size_t>(0, ready.size() - 1)(rng_));
  }
  const char* name() const override { return "random"; }

 private:
  std::mt19937_64 rng_;
};

class PctStrategy : public Strategy {
 public:
  PctStrategy(uint64_t seed, int depth, int est_steps) : rng_(seed) {
    std::uniform_int_distribution<int> at(1, std::max(1, est_steps));
    for (int i = 0; i + 1 < depth; ++i) change_points_.insert(at(rng_));
  }
  int choose(const std::vector<ReadyOp>& ready, bool) override {
    ++step_;
    int best = 0;
    for (size_t i = 0; i < ready.size(); ++i) {
      if (prio(ready[i].op.proc) > prio(ready[best].op.proc)) best = static_cast<int>(i);
    }
    if (change_points_.count(step_)) {
      // Below every initial priority (those start at 1000), and below the
      // earlier change points' drops.
      prio_[ready[best].op.proc] = 1000 - 1 - static_cast<int64_t>(++drops_);
    }
    return best;
  }
  const char* name() const override { return "pct"; }

 private:
  int64_t prio(const std::string& proc) {
    auto it = prio_.find(proc);
    if (it != prio_.end()) return it->second;
    int64_t p = 1000 + static_cast<int64_t>(std::uniform_int_distribution<uint32_t>(0, 1u << 30)(rng_));
    prio_[proc] = p;
    return p;
  }
  std::mt19937_64 rng_;
  std::set<int> change_points_;
  std::map<std::string, int64_t> prio_;
  int step_ = 0, drops_ = 0;
};

class ReplayStrategy : public Strategy {
 public:
  explicit ReplayStrategy(std::vector<ScheduleStep> steps) : steps_(std::move(steps)) {}
  int choose(const std::vector<ReadyOp>& ready, bool waited_long) override {
    if (next_ >= steps_.size()) return 0;
    const ScheduleStep& want = steps_[next_];
    for (size_t i = 0; i < ready.size(); ++i)
      if (ready[i].op == want) {
        ++next_;
        return static_cast<int>(i);
      }
    if (!waited_long) return kWait;  // its process may not be there yet
    off_path_ = true;
    ++next_;
    for (size_t i = 0; i < ready.size(); ++i)  // the same process, if it is ready at all
      if (ready[i].op.proc == want.proc) return static_cast<int>(i);
    return 0;
  }
  const char* name() const override { return "replay"; }
  bool off_path() const override { return off_path_; }

 private:
  std::vector<ScheduleStep> steps_;
  size_t next_ = 0;
  bool off_path_ = false;
};

}  // namespace

bool independent(const ScheduleStep& a, const ScheduleStep& b) {
  if (a.proc == b.proc) return false;
  using K = EventKind;
  auto is = [](const ScheduleStep& s, std::initializer_list<K> ks) {
    for (K k : ks)
      if (s.kind == k) return true;
    return false;
  };
  if (is(a, {K::sleep_begin}) || is(b, {K::sleep_begin})) return true;  // touches nothing shared
  if (is(a, {K::print}) || is(b, {K::print})) return a.kind != b.kind;  // prints share stdout
  // A join waits for starts and exits (its target is not in the step).
  auto life = [&](const ScheduleStep& s) { return is(s, {K::process_start, K::process_exit}); };
  if (is(a, {K::join_begin}) || is(b, {K::join_begin})) return !(life(a) || life(b));
  if (life(a) || life(b)) return true;
  // Operations on named objects commute when the objects differ.
  return !a.obj.empty() && !b.obj.empty() && a.obj != b.obj;
}

std::unique_ptr<Strategy> random_strategy(uint64_t seed) { return std::make_unique<RandomStrategy>(seed); }
std::unique_ptr<Strategy> pct_strategy(uint64_t seed, int depth, int est_steps) {
  return std::make_unique<PctStrategy>(seed, depth, est_steps);
}
std::unique_ptr<Strategy> replay_strategy(std::vector<ScheduleStep> steps) {
  return std::make_unique<ReplayStrategy>(std::move(steps));
}

// One run of the depth-first enumeration: follows the stack's choices up to
// replay_depth_, then takes the first ready operation not asleep and pushes
// new nodes.
class DfsRun : public Strategy {
 public:
  explicit DfsRun(DfsExplorer& ex) : ex_(ex) {}
  int choose(const std::vector<ReadyOp>& ready, bool) override {
    auto& st = ex_.stack_;
    if (depth_ < ex_.replay_depth_) {
      const DfsExplorer::Node& n = st[depth_];
      const ScheduleStep& want = n.enabled[n.chosen];
      for (size_t i = 0; i < ready.size(); ++i)
        if (ready[i].op == want) {
          ++depth_;
          return static_cast<int>(i);
        }
      return 0;  // the run went elsewhere (timing): take any; the tree stays as it is
    }
    DfsExplorer::Node n;
    for (const auto& r : ready) n.enabled.push_back(r.op);
    if (depth_ > 0 && depth_ - 1 < st.size()) {
      // The sleep set carried down: what was asleep or done at the parent
      // and commutes with the parent's choice.
      const DfsExplorer::Node& p = st[depth_ - 1];
      const ScheduleStep& c = p.enabled[p.chosen];
      for (const auto* set : {&p.sleep, &p.done})
        for (const auto& k : *set) {
          ScheduleStep s{std::get<0>(k), static_cast<EventKind>(std::get<1>(k)), std::get<2>(k)};
          if (independent(s, c)) n.sleep.insert(k);
        }
    }
    int pick = -1;
    for (size_t i = 0; i < n.enabled.size(); ++i)
      if (!n.sleep.count(key_of(n.enabled[i]))) {
        pick = static_cast<int>(i);
        break;
      }
    if (pick < 0) return kAbandon;  // every order from here was run already
    n.chosen = static_cast<size_t>(pick);
    st.resize(depth_);
    st.push_back(std::move(n));
    ++depth_;
    return pick;
  }
  const char* name() const override { return "systematic"; }

 private:
  DfsExplorer& ex_;
  size_t depth_ = 0;
};

std::unique_ptr<Strategy> DfsExplorer::next_run() { return std::make_unique<DfsRun>(*this); }

void DfsExplorer::finish_run() {
  // Backtrack: the deepest node with an untried operation that is not asleep.
  while (!stack_.empty()) {
    Node& n = stack_.back();
    n.done.insert(key_of(n.enabled[n.chosen]));
    for (size_t i = 0; i < n.enabled.size(); ++i) {
      auto k = key_of(n.enabled[i]);
      if (!n.done.count(k) && !n.sleep.count(k)) {
        n.chosen = i;
        replay_depth_ = stack_.size();
        return;
      }
    }
    stack_.pop_back();
  }
  exhausted_ = true;
  replay_depth_ = 0;
}

}  // namespace mpviz::explore
