#include "bench/primitive_scenarios.hpp"

#include <sched.h>

#include <cstdio>
#include <deque>
#include <string>
#include <vector>

#include "bench/bench_stats.hpp"
#include "engine/runtime/api.hpp"
#include "engine/runtime/connection.hpp"
#include "engine/runtime/lock.hpp"
#include "engine/runtime/pool.hpp"
#include "engine/runtime/process.hpp"
#include "engine/runtime/process_runtime.hpp"
#include "engine/runtime/queue.hpp"
#include "engine/runtime/semaphore.hpp"

namespace mpviz::bench {
namespace {

constexpr const char* kNone = "None";  // end-of-stream item, as the Python bench sends None

void report(const std::string& key, double value) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.6g", value);
  rt::print(kReportPrefix + key + " " + buf);
}

// py_mp_bench --pin same: both processes of a two-process benchmark on the
// first allowed CPU. Children inherit the mask (across exec too).
class PinFirstCpu {
 public:
  explicit PinFirstCpu(bool on) {
    if (!on || sched_getaffinity(0, sizeof old_, &old_) != 0) return;
    for (int c = 0; c < CPU_SETSIZE; ++c)
      if (CPU_ISSET(c, &old_)) {
        cpu_set_t one;
        CPU_ZERO(&one);
        CPU_SET(c, &one);
        active_ = sched_setaffinity(0, sizeof one, &one) == 0;
        break;
      }
  }
  ~PinFirstCpu() {
    if (active_) sched_setaffinity(0, sizeof old_, &old_);
  }

 private:
  cpu_set_t old_{};
  bool active_ = false;
};

std::vector<ParamSpec> sizes(int64_t n) {
  return {{"n", ParamType::Int, n, 1, 1e9, "operations per repetition", "每次重复的操作数"},
          {"reps", ParamType::Int, int64_t{5}, 1, 100, "repetitions", "重复次数"},
          {"pin", ParamType::Bool, true, 0, 0, "both processes on one CPU", "两个进程在同一 CPU"}};
}

ScenarioDef base(const std::string& name, int64_t n) {
  ScenarioDef d;
  d.info.name = name;
  d.info.title_en = d.info.title_zh = name;
  d.info.params = sizes(n);
  return d;
}

double since_ns(int64_t t0) { return static_cast<double>(mono_ns() - t0); }

// --- process start + join -------------------------------------------------
ScenarioDef start_join() {
  ScenarioDef d = base("b-start-join", 20);
  d.entries = {{"noop", [](const rt::Args&) {}}};
  d.main = [](const ParamValues& p) {
    bool spawn = rt::ProcessRuntime::current().config().method == rt::StartMethod::Spawn;
    std::string key = spawn ? "process_start_join_spawn_us" : "process_start_join_fork_us";
    int64_t k = p.get_int("n");
    for (int64_t r = 0; r < p.get_int("reps"); ++r) {
      int64_t t0 = mono_ns();
      for (int64_t i = 0; i < k; ++i) {
        rt::Process c("noop");
        c.start();
        c.join();
      }
      report(key, since_ns(t0) / k / 1e3);
    }
  };
  return d;
}

// --- uncontended lock / semaphore ---------------------------------------
ScenarioDef lock_uncontended() {
  ScenarioDef d = base("b-lock", 100'000);
  d.main = [](const ParamValues& p) {
    rt::Lock lock("lock");
    int64_t n = p.get_int("n");
    for (int64_t r = 0; r < p.get_int("reps"); ++r) {
      int64_t t0 = mono_ns();
      for (int64_t i = 0; i < n; ++i) {
        lock.acquire();
        lock.release();
      }
      report("lock_acquire_release_ns", since_ns(t0) / n);
    }
  };
  return d;
}

ScenarioDef sem_uncontended() {
  ScenarioDef d = base("b-sem", 100'000);
  d.main = [](const ParamValues& p) {
    rt::Semaphore sem(1, "sem");
    int64_t n = p.get_int("n");
    for (int64_t r = 0; r < p.get_int("reps"); ++r) {
      int64_t t0 = mono_ns();
      for (int64_t i = 0; i < n; ++i) {
        sem.acquire();
        sem.release();
      }
      report("semaphore_acq_rel_ns", since_ns(t0) / n);
    }
  };
  return d;
}

// --- ping-pong round trips ----------------------------------------------
ScenarioDef queue_pingpong() {
  ScenarioDef d = base("b-queue-pingpong", 1500);
  d.entries = {{"echo", [](const rt::Args& a) {
                  rt::Queue in(a.h(0)), out(a.h(1));
                  for (;;) {
                    std::string x = in.get();
                    if (x == kNone) break;
                    out.put(std::to_string(std::stoll(x) + 1));
                  }
                }}};
  d.main = [](const ParamValues& p) {
    rt::Queue q1(0, "q1"), q2(0, "q2");
    PinFirstCpu pin(p.get_bool("pin"));
    rt::Process echo("echo", {rt::Value(q1.handle()), rt::Value(q2.handle())});
    echo.start();
    for (int i = 0; i < 200; ++i) {  // warm-up, as the Python bench
      q1.put(std::to_string(i));
      q2.get();
    }
    int64_t n = p.get_int("n");
    for (int64_t r = 0; r < p.get_int("reps"); ++r) {
      int64_t t0 = mono_ns();
      for (int64_t i = 0; i < n; ++i) {
        q1.put(std::to_string(i));
        q2.get();
      }
      report("queue_pingpong_rt_us", since_ns(t0) / n / 1e3);
    }
    q1.put(kNone);
    echo.join();
  };
  return d;
}

ScenarioDef pipe_pingpong() {
  ScenarioDef d = base("b-pipe-pingpong", 5000);
  d.entries = {{"echo", [](const rt::Args& a) {
                  rt::Connection c(a.h(0));
                  for (;;) {
                    std::string x = c.recv();
                    if (x == kNone) break;
                    c.send(std::to_string(std::stoll(x) + 1));
                  }
                }}};
  d.main = [](const ParamValues& p) {
    auto [a, b] = rt::Pipe(true, "pipe");
    PinFirstCpu pin(p.get_bool("pin"));
    rt::Process echo("echo", {rt::Value(b.handle())});
    echo.start();
    for (int i = 0; i < 200; ++i) {
      a.send(std::to_string(i));
      a.recv();
    }
    int64_t n = p.get_int("n");
    for (int64_t r = 0; r < p.get_int("reps"); ++r) {
      int64_t t0 = mono_ns();
      for (int64_t i = 0; i < n; ++i) {
        a.send(std::to_string(i));
        a.recv();
      }
      report("pipe_pingpong_rt_us", since_ns(t0) / n / 1e3);
    }
    a.send(kNone);
    echo.join();
  };
  return d;
}

// --- one-way throughput --------------------------------------------------
// The first item is taken before the clock starts (it excludes the child's
// start-up), as in the Python bench; so n-1 items are timed.
ScenarioDef queue_throughput() {
  ScenarioDef d = base("b-queue-tp", 50'000);
  d.entries = {{"producer", [](const rt::Args& a) {
                  rt::Queue q(a.h(0));
                  for (int64_t i = 0; i < a.i(1); ++i) q.put(std::to_string(i));
                  q.put(kNone);
                }}};
  d.main = [](const ParamValues& p) {
    rt::Queue q(0, "queue");
    PinFirstCpu pin(p.get_bool("pin"));
    for (int64_t r = 0; r < p.get_int("reps"); ++r) {
      rt::Process prod("producer", {rt::Value(q.handle()), p.get_int("n")});
      prod.start();
      q.get();
      int64_t t0 = mono_ns(), cnt = 0;
      while (q.get() != kNone) ++cnt;
      report("queue_throughput_unbounded_ops_s", cnt / (since_ns(t0) / 1e9));
      prod.join();
    }
  };
  return d;
}

ScenarioDef pipe_throughput() {
  ScenarioDef d = base("b-pipe-tp", 50'000);
  d.entries = {{"producer", [](const rt::Args& a) {
                  rt::Connection w(a.h(0));
                  for (int64_t i = 0; i < a.i(1); ++i) w.send(std::to_string(i));
                  w.send(kNone);
                }}};
  d.main = [](const ParamValues& p) {
    auto [r_end, w_end] = rt::Pipe(false, "pipe");  // (reader, writer), as CPython
    PinFirstCpu pin(p.get_bool("pin"));
    for (int64_t r = 0; r < p.get_int("reps"); ++r) {
      rt::Process prod("producer", {rt::Value(w_end.handle()), p.get_int("n")});
      prod.start();
      r_end.recv();
      int64_t t0 = mono_ns(), cnt = 0;
      while (r_end.recv() != kNone) ++cnt;
      report("pipe_throughput_msgs_s", cnt / (since_ns(t0) / 1e9));
      prod.join();
    }
  };
  return d;
}

// --- pool ---------------------------------------------------------------
// One Pool(3) for all repetitions, warmed up first; creation is not timed.
// At most kWindow tasks are outstanding: mpviz's "unbounded" queues hold 256
// items, and with the task and result queues both full a submitter that
// does not collect deadlocks (CPython's pipes + feeder threads do not). So
// apply_async keeps a sliding window (collecting the oldest result when it is
// full) and map runs in chunks of kWindow items.
constexpr size_t kWindow = 200;

ScenarioDef pool() {
  ScenarioDef d = base("b-pool", 6000);
  d.info.params.push_back(
      {"warm", ParamType::Int, int64_t{600}, 1, 1e9, "warm-up map size", "预热 map 的大小"});
  d.pool_funcs = {{"task", [](const rt::Args& a) { return std::to_string(a.i(0)); }}};
  d.main = [](const ParamValues& p) {
    rt::Pool pool(3);
    auto chunked_map = [&pool](int64_t n) {
      std::vector<rt::Args> chunk;
      for (int64_t i = 0; i < n; ++i) {
        chunk.push_back({i});
        if (chunk.size() == kWindow || i + 1 == n) {
          pool.map("task", chunk);
          chunk.clear();
        }
      }
    };
    chunked_map(p.get_int("warm"));
    int64_t n = p.get_int("n");
    for (int64_t r = 0; r < p.get_int("reps"); ++r) {
      int64_t t0 = mono_ns();
      std::deque<rt::AsyncResult> window;
      for (int64_t i = 0; i < n; ++i) {
        if (window.size() == kWindow) {
          window.front().get();
          window.pop_front();
        }
        window.push_back(pool.apply_async("task", {i}));
      }
      for (auto& res : window) res.get();
      report("pool_apply_async_tasks_s", n / (since_ns(t0) / 1e9));
    }
    for (int64_t r = 0; r < p.get_int("reps"); ++r) {
      int64_t t0 = mono_ns();
      chunked_map(n);
      report("pool_map_tasks_s", n / (since_ns(t0) / 1e9));
    }
    pool.close();
    pool.join();
  };
  return d;
}

}  // namespace

const ScenarioList& primitive_scenarios() {
  static const ScenarioList list = {start_join(),      lock_uncontended(), sem_uncontended(),
                                    queue_pingpong(),  pipe_pingpong(),    queue_throughput(),
                                    pipe_throughput(), pool()};
  return list;
}

}  // namespace mpviz::bench
