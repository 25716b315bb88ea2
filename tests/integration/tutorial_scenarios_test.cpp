// Tutorial sections 5-10 as real processes, under both start methods.
#include <algorithm>
#include <map>
#include <set>

#include "leak_check.hpp"

using namespace mpviz;
using namespace mpviz::test;

namespace {

class Tutorial : public LeakCheckedTest, public ::testing::WithParamInterface<std::string> {
 protected:
  RunResult run(const std::string& scenario, std::vector<std::string> extra) {
    std::vector<std::string> args = {"run", scenario, "--method", GetParam()};
    args.insert(args.end(), extra.begin(), extra.end());
    return checked(run_recorded(args));
  }
};

bool has_print(const Recording& r, const std::string& text, int pid = 0) {
  for (const auto* p : of_kind(r, EventKind::print))
    if (p->text == text && (pid == 0 || p->pid == pid)) return true;
  return false;
}

}  // namespace

TEST_P(Tutorial, SemaphoreCountsStayInRangeUntilStopped) {
  auto r = run("semaphore", {"--speed", "50", "--duration", "1.5"});
  ASSERT_EQ(r.cmd.exit_code, 0) << r.cmd.err;
  const int slots = 2;
  int puts = 0, gets = 0, max_size = 0;
  std::map<std::string, int> sem_events;
  for (const auto& e : r.rec.events) {
    if (e.kind == EventKind::sem_acquire || e.kind == EventKind::sem_release) {
      EXPECT_GE(e.value, 0) << e.name;
      EXPECT_LE(e.value, slots) << e.name;
      ++sem_events[e.name];
    }
    if (e.kind == EventKind::queue_put) {
      ++puts;
      EXPECT_EQ(e.name, "buffer");
      EXPECT_EQ(e.limit, 10);
      EXPECT_EQ(e.text, "1");
      max_size = std::max<int>(max_size, static_cast<int>(e.value));
    }
    if (e.kind == EventKind::queue_get) {
      ++gets;
      EXPECT_LE(gets, puts) << "the consumer got ahead of the producer";
    }
    if (e.kind == EventKind::queue_put || e.kind == EventKind::queue_get) {
      EXPECT_EQ(e.value, puts - gets) << "size after the operation";
    }
  }
  EXPECT_LE(max_size, slots);
  EXPECT_GE(puts, 5) << "the run should have made progress";
  EXPECT_GE(sem_events["empty"], 5);
  EXPECT_GE(sem_events["full"], 5);
  EXPECT_TRUE(has_print(r.rec, "Producer append an element"));
  EXPECT_TRUE(has_print(r.rec, "Cunsumer pop an element"));
  ASSERT_EQ(r.rec.events.back().kind, EventKind::run_end);
  EXPECT_EQ(r.rec.events.back().text, "stopped");
  auto kids = children_of(r.rec, main_pid(r.rec));
  ASSERT_EQ(kids.size(), 2u);
  for (const auto* k : kids) EXPECT_TRUE(k->flags & kFlagDaemon);
}

TEST_P(Tutorial, SemaphoreWithoutSleepInLockStillKeepsTheInvariant) {
  auto r = run("semaphore",
               {"--speed", "0", "--duration", "0.5", "--set", "sleep_in_lock=false", "--set", "slots=3"});
  ASSERT_EQ(r.cmd.exit_code, 0) << r.cmd.err;
  int in_buffer = 0, max_in = 0, puts = 0;
  for (const auto& e : r.rec.events) {
    if (e.kind == EventKind::queue_put) ++in_buffer, ++puts;
    if (e.kind == EventKind::queue_get) --in_buffer;
    EXPECT_GE(in_buffer, 0);
    max_in = std::max(max_in, in_buffer);
  }
  EXPECT_LE(max_in, 3);
  EXPECT_GT(puts, 20);
}

TEST_P(Tutorial, ForkSharesTheModuleQueueSpawnRebuildsIt) {
  auto r = run("fork-vs-spawn", {});
  ASSERT_EQ(r.cmd.exit_code, 0) << r.cmd.err;
  int mainp = main_pid(r.rec);
  auto kids = children_of(r.rec, mainp);
  ASSERT_EQ(kids.size(), 1u);
  EXPECT_EQ((kids[0]->flags & kFlagSpawn) != 0, GetParam() == "spawn");
  EXPECT_TRUE(has_print(r.rec, GetParam() == "fork" ? "1" : "0", mainp));
  // The child really put into a queue called buffer either way.
  auto puts = of_kind(r.rec, EventKind::queue_put);
  ASSERT_EQ(puts.size(), 1u);
  EXPECT_EQ(puts[0]->pid, kids[0]->pid);
  EXPECT_EQ(puts[0]->name, "buffer");
}

TEST_P(Tutorial, ThreadsShareTheCounterProcessesDoNot) {
  auto r = run("threads-vs-processes", {"--set", "workers=3", "--set", "increments=500"});
  ASSERT_EQ(r.cmd.exit_code, 0) << r.cmd.err;
  int mainp = main_pid(r.rec);
  EXPECT_TRUE(has_print(r.rec, "threads: counter = 1500 (main sees every increment)", mainp));
  EXPECT_TRUE(has_print(r.rec, "processes: counter = 0 (each child changed its own copy)", mainp));
  EXPECT_EQ(children_of(r.rec, mainp).size(), 3u);
  bool cost = false;
  for (const auto* p : of_kind(r.rec, EventKind::print))
    cost |= p->text.rfind("start + join cost: thread ", 0) == 0;
  EXPECT_TRUE(cost);
}

TEST_P(Tutorial, PipeMessagesAreReceivedAfterSendByTheOtherEnd) {
  auto r = run("pipe", {});
  ASSERT_EQ(r.cmd.exit_code, 0) << r.cmd.err;
  auto sends = of_kind(r.rec, EventKind::pipe_send);
  auto recvs = of_kind(r.rec, EventKind::pipe_recv);
  ASSERT_EQ(sends.size(), 2u);
  ASSERT_EQ(recvs.size(), 2u);
  for (const auto* s : sends) {
    const Event* match = nullptr;
    for (const auto* v : recvs)
      if (v->text == s->text) match = v;
    ASSERT_NE(match, nullptr) << s->text;
    EXPECT_GT(match->t_ns, s->t_ns);
    EXPECT_NE(match->pid, s->pid);
    EXPECT_NE(match->other, s->other) << "received on the other end";
    EXPECT_EQ(match->name, "pipe");
  }
  // The producer was blocked in recv() before the consumer's words arrived.
  const Event* wait = nullptr;
  for (const auto* w : of_kind(r.rec, EventKind::pipe_recv_wait))
    if (!wait) wait = w;
  ASSERT_NE(wait, nullptr);
  EXPECT_TRUE(has_print(r.rec, "Producer Received: Consumer Words"));
  EXPECT_TRUE(has_print(r.rec, "Consumer Received: Producer Words"));
  EXPECT_TRUE(has_print(r.rec, "Main Process Ended", main_pid(r.rec)));
}

TEST_P(Tutorial, PoolStartsThreeWorkersUpFrontAndReusesThem) {
  auto r = run("pool-apply-async", {"--speed", "20"});
  ASSERT_EQ(r.cmd.exit_code, 0) << r.cmd.err;
  int mainp = main_pid(r.rec);
  auto workers = children_of(r.rec, mainp);
  ASSERT_EQ(workers.size(), 3u);
  std::set<int> worker_pids;
  for (const auto* w : workers) {
    worker_pids.insert(w->pid);
    EXPECT_NE(w->name.find("PoolWorker-"), std::string::npos);
  }
  auto begins = of_kind(r.rec, EventKind::pool_task_begin);
  ASSERT_EQ(begins.size(), 4u);
  for (const auto* w : workers) EXPECT_LT(w->t_ns, begins[0]->t_ns) << "started before any task";
  std::set<int> used;
  for (const auto* b : begins) {
    EXPECT_TRUE(worker_pids.count(b->pid)) << "task ran in a pool worker";
    used.insert(b->pid);
  }
  EXPECT_EQ(used.size(), 3u);
  // Concurrency never exceeds 3; the fourth task begins after one has ended.
  int running = 0, max_running = 0, ended = 0;
  std::vector<int64_t> begin_times;
  for (const auto& e : r.rec.events) {
    if (e.kind == EventKind::pool_task_begin) {
      ++running;
      begin_times.push_back(e.t_ns);
      if (begin_times.size() == 4) {
        EXPECT_GE(ended, 1) << "task 3 started before a worker was free";
      }
    }
    if (e.kind == EventKind::pool_task_end) --running, ++ended;
    max_running = std::max(max_running, running);
  }
  EXPECT_EQ(max_running, 3);
  EXPECT_EQ(ended, 4);
  // About 6 scenario seconds in all.
  double total_s = static_cast<double>(r.rec.events.back().t_ns) / 1e9 * 20;
  EXPECT_GT(total_s, 5.5);
  EXPECT_TRUE(has_print(r.rec, "Main process ended", mainp));
}

TEST_P(Tutorial, PoolMapScrapesFourUrlsAndKeepsInputOrder) {
  auto r = run("pool-map", {"--speed", "20"});
  ASSERT_EQ(r.cmd.exit_code, 0) << r.cmd.err;
  int scraped = 0, failed = 0;
  for (const auto* p : of_kind(r.rec, EventKind::print)) {
    if (p->text.rfind("URL: ", 0) != 0) continue;
    if (p->text.find(" not Scraped") != std::string::npos) ++failed;
    else if (p->text.find(" Scraped") != std::string::npos) ++scraped;
  }
  EXPECT_EQ(scraped, 3);
  EXPECT_EQ(failed, 1);
  EXPECT_TRUE(has_print(r.rec, "URL: https://xxxyxxx.net/ not Scraped"));
  EXPECT_TRUE(has_print(r.rec,
                        "map() returned: ['Scraped', 'Scraped', 'Scraped', 'not Scraped']",
                        main_pid(r.rec)));
  EXPECT_EQ(of_kind(r.rec, EventKind::pool_task_end).size(), 4u);
  EXPECT_EQ(of_kind(r.rec, EventKind::pool_submit).size(), 4u);
}

INSTANTIATE_TEST_SUITE_P(Methods, Tutorial, ::testing::Values("fork", "spawn"));

// Stopping at a random moment leaves nothing behind, whatever is blocked.
class StopAnywhere : public LeakCheckedTest,
                     public ::testing::WithParamInterface<std::tuple<std::string, std::string>> {};

TEST_P(StopAnywhere, StoppedRunsLeaveNothingBehind) {
  auto [scenario, method] = GetParam();
  auto r = checked(run_recorded({"run", scenario, "--method", method, "--duration", "0.3"}, 30));
  EXPECT_EQ(r.cmd.exit_code, 0) << r.cmd.err;
  ASSERT_FALSE(r.rec.events.empty());
  EXPECT_EQ(r.rec.events.back().kind, EventKind::run_end);
  for (const auto* s : of_kind(r.rec, EventKind::process_start)) {
    int ends = 0;
    for (const auto& e : r.rec.events)
      ends += e.pid == s->pid &&
              (e.kind == EventKind::process_exit || e.kind == EventKind::process_killed);
    EXPECT_EQ(ends, 1) << s->name;
  }
}

INSTANTIATE_TEST_SUITE_P(
    Scenarios, StopAnywhere,
    ::testing::Combine(::testing::Values("semaphore", "pool-apply-async", "lock", "daemon"),
                       ::testing::Values("fork", "spawn")),
    [](const auto& info) {
      std::string n = std::get<0>(info.param) + "_" + std::get<1>(info.param);
      std::replace(n.begin(), n.end(), '-', '_');
      return n;
    });

// More tasks than the pool's queues hold must not deadlock (CPython's task
// queue is unbounded).
class PoolLoad : public LeakCheckedTest {};
TEST_F(PoolLoad, ThousandTasksFinish) {
  auto r = checked(run_recorded(
      {"run", "pool-apply-async", "--speed", "0", "--set", "tasks=1000", "--set", "task_s=0"}, 60));
  ASSERT_EQ(r.cmd.exit_code, 0) << r.cmd.err;
  EXPECT_EQ(of_kind(r.rec, EventKind::pool_task_end).size(), 1000u);
}
