// The explore room's pure parts: schedules round-trip through their JSON,
// strategies are deterministic per seed, the depth-first search with sleep
// sets enumerates a small tree completely and prunes commuting orders, and
// outcomes name pids by process.
#include <gtest/gtest.h>

#include <set>

#include "engine/explore/outcome.hpp"
#include "engine/explore/schedule.hpp"
#include "engine/explore/strategy.hpp"

using namespace mpviz;
using namespace mpviz::explore;

namespace {
ReadyOp op(const std::string& proc, EventKind k, const std::string& obj = "") {
  return ReadyOp{{proc, k, obj}, 0};
}
}  // namespace

TEST(Schedule, RoundTripsThroughJson) {
  Schedule s;
  s.target = "deadlock";
  s.method = "spawn";
  s.strategy = "pct";
  s.seed = 42;
  s.speed = 0;
  s.params = {{"nap", "0.5"}};
  s.steps = {{"MainProcess", EventKind::process_start, "Process-1"}, {"Process-1", EventKind::lock_acquire, "lock_a"},
             {"Process-1", EventKind::print, ""}};
  std::string err;
  auto back = schedule_from_json(to_json(s), err);
  ASSERT_TRUE(back) << err;
  EXPECT_EQ(back->steps, s.steps);
  EXPECT_EQ(back->seed, 42u);
  EXPECT_EQ(back->method, "spawn");
  EXPECT_EQ(back->params, s.params);
}

TEST(Schedule, RefusesWhatIsNotOne) {
  std::string err;
  EXPECT_FALSE(schedule_from_json("[]", err));
  EXPECT_FALSE(schedule_from_json(R"({"format":"mpviz-trace"})", err));
  EXPECT_FALSE(schedule_from_json(R"({"format":"mpviz-schedule","steps":[{"op":"print"}]})", err));
  EXPECT_NE(err.find("step 1"), std::string::npos) << err;
  EXPECT_FALSE(schedule_from_json(R"({"format":"mpviz-schedule","steps":[{"proc":"a","op":"fly"}]})", err));
}

TEST(Strategy, RandomAndPctAreDeterministicPerSeed) {
  std::vector<ReadyOp> ready = {op("A", EventKind::print), op("B", EventKind::print), op("C", EventKind::print)};
  for (auto make : {+[](uint64_t s) { return random_strategy(s); }, +[](uint64_t s) { return pct_strategy(s, 3, 20); }}) {
    std::set<std::vector<int>> seen;
    for (uint64_t seed = 1; seed <= 20; ++seed) {
      auto a = make(seed), b = make(seed);
      std::vector<int> pa, pb;
      for (int i = 0; i < 20; ++i) {
        pa.push_back(a->choose(ready, false));
        pb.push_back(b->choose(ready, false));
      }
      EXPECT_EQ(pa, pb);
      seen.insert(pa);
    }
    EXPECT_GT(seen.size(), 1u) << "different seeds choose differently";
  }
}

TEST(Strategy, ReplayWaitsForItsProcessThenSaysWhenItLeftThePath) {
  auto r = replay_strategy({{"B", EventKind::print, ""}, {"A", EventKind::print, ""}});
  std::vector<ReadyOp> only_a = {op("A", EventKind::print)};
  EXPECT_EQ(r->choose(only_a, false), Strategy::kWait);
  std::vector<ReadyOp> both = {op("A", EventKind::print), op("B", EventKind::print)};
  EXPECT_EQ(r->choose(both, false), 1);
  EXPECT_EQ(r->choose(both, false), 0);
  EXPECT_FALSE(r->off_path());
  auto r2 = replay_strategy({{"C", EventKind::print, ""}});
  EXPECT_EQ(r2->choose(only_a, true), 0);
  EXPECT_TRUE(r2->off_path());
}

TEST(Independence, FollowsObjectsAndStdout) {
  EXPECT_TRUE(independent({"A", EventKind::lock_acquire, "x"}, {"B", EventKind::lock_acquire, "y"}));
  EXPECT_FALSE(independent({"A", EventKind::lock_acquire, "x"}, {"B", EventKind::lock_release, "x"}));
  EXPECT_FALSE(independent({"A", EventKind::print, ""}, {"B", EventKind::print, ""}));
  EXPECT_TRUE(independent({"A", EventKind::print, ""}, {"B", EventKind::lock_acquire, "x"}));
  EXPECT_FALSE(independent({"A", EventKind::print, ""}, {"A", EventKind::lock_acquire, "x"}));
  EXPECT_FALSE(independent({"M", EventKind::join_begin, ""}, {"B", EventKind::process_exit, ""}));
}

// A fake program: two processes, each does `n` operations on its own object
// or on a shared one; the DFS is driven as controlled_run would drive it.
namespace {
struct FakeRun {
  std::vector<std::vector<ScheduleStep>> procs;
  std::vector<std::string> run(Strategy& s) {
    std::vector<size_t> at(procs.size(), 0);
    std::vector<std::string> order;
    for (;;) {
      std::vector<ReadyOp> ready;
      for (size_t p = 0; p < procs.size(); ++p)
        if (at[p] < procs[p].size()) ready.push_back({procs[p][at[p]], static_cast<int32_t>(p)});
      if (ready.empty()) return order;
      int pick = s.choose(ready, false);
      if (pick == Strategy::kAbandon) return {};
      auto p = static_cast<size_t>(ready[static_cast<size_t>(pick)].pid);
      order.push_back(procs[p][at[p]].proc + std::to_string(at[p]));
      ++at[p];
    }
  }
};

size_t explore_all(FakeRun& f, int& runs, int& pruned, bool& complete) {
  DfsExplorer dfs;
  std::set<std::vector<std::string>> orders;
  runs = pruned = 0;
  while (dfs.has_next() && runs < 1000) {
    auto s = dfs.next_run();
    auto o = f.run(*s);
    ++runs;
    if (o.empty()) ++pruned;
    else orders.insert(o);
    dfs.finish_run();
  }
  complete = dfs.complete();
  return orders.size();
}
}  // namespace

TEST(DfsExplorer, EnumeratesEveryOrderOfConflictingOperations) {
  // Both processes print twice: every interleaving is a different output,
  // C(4,2) = 6 of them, and none may be pruned.
  FakeRun f{{{{"A", EventKind::print, ""}, {"A", EventKind::print, ""}},
             {{"B", EventKind::print, ""}, {"B", EventKind::print, ""}}}};
  int runs, pruned;
  bool complete;
  EXPECT_EQ(explore_all(f, runs, pruned, complete), 6u);
  EXPECT_TRUE(complete);
  EXPECT_EQ(pruned, 0);
}

TEST(DfsExplorer, SleepSetsRunCommutingOrdersOnce) {
  // Different objects: every order is equivalent, so one full run suffices
  // and the others are cut short.
  FakeRun f{{{{"A", EventKind::lock_acquire, "x"}, {"A", EventKind::lock_release, "x"}},
             {{"B", EventKind::lock_acquire, "y"}, {"B", EventKind::lock_release, "y"}}}};
  int runs, pruned;
  bool complete;
  EXPECT_EQ(explore_all(f, runs, pruned, complete), 1u);
  EXPECT_TRUE(complete);
  EXPECT_LT(runs - pruned, 6);
}

TEST(Outcome, NamesPidsByProcessAndKeepsOrder) {
  std::vector<Event> evs;
  auto start = [&](int pid, const std::string& name) {
    Event e = make_event(EventKind::process_start, pid, 0);
    e.name = name;
    evs.push_back(e);
  };
  start(100, "MainProcess");
  start(4242, "Worker");
  Event p = make_event(EventKind::print, 4242, 1);
  p.text = "pid 4242 says 42424";
  evs.push_back(p);
  Event x = make_event(EventKind::process_exit, 4242, 2);
  x.value = 3;
  evs.push_back(x);
  auto o = outcome_of("finished", evs);
  ASSERT_EQ(o.output.size(), 1u);
  EXPECT_EQ(o.output[0], "pid <pid of Worker> says 42424");
  EXPECT_EQ(o.exits["Worker"], "exit 3");
}
