// Tutorial section 7 (线程和进程的区别): the same global counter incremented by
// threads (the parent sees it) and by processes (it does not), with the
// measured start + join cost of each.
#include <mutex>
#include <thread>
#include <vector>

#include "engine/runtime/api.hpp"
#include "engine/wire/clock.hpp"
#include "engine/runtime/process.hpp"
#include "scenarios/registry.hpp"

namespace mpviz::scenarios {
namespace {

int64_t g_counter = 0;  // the module global both kinds of worker increment
std::mutex g_counter_mutex;

void increment(int64_t times) {
  for (int64_t i = 0; i < times; ++i) {
    std::lock_guard lk(g_counter_mutex);
    ++g_counter;
  }
}

std::string us(int64_t ns) { return std::to_string((ns + 500) / 1000) + " us"; }

}  // namespace

ScenarioDef threads_vs_processes() {
  ScenarioDef d;
  d.info.name = "threads-vs-processes";
  d.info.section = "7";
  d.info.title_zh = "线程与进程的区别：共享内存还是各自一份？";
  d.info.title_en = "Threads vs processes: shared memory or a copy each?";
  d.info.explain_zh =
      "同一个全局变量 counter，先由几个线程各加若干次，再由同样数量的进程各加若干次。"
      "线程共享内存：主进程看到 counter 变了。进程各有一份（fork 是复制，spawn 是重新创建）："
      "主进程的 counter 还是 0。程序还测量了启动并 join 一个线程和一个进程各需要多少时间。";
  d.info.explain_en =
      "One global counter: first some threads each add to it, then as many processes do. Threads "
      "share memory, so main sees the counter change. Each process has its own copy (fork copies, "
      "spawn rebuilds), so main's counter stays 0. The program also measures what it costs to "
      "start and join one thread and one process.";
  d.info.listing_file = "threads_vs_processes.py";
  d.info.params = {
      {"workers", ParamType::Int, int64_t{4}, 1, 16, "threads, then processes", "线程数与进程数"},
      {"increments", ParamType::Int, int64_t{1000}, 1, 1000000, "increments by each worker",
       "每个线程或进程加的次数"},
  };
  d.module_init = [](const ParamValues&) { g_counter = 0; };
  d.entries = {{"increment", [](const rt::Args& a) {
                  increment(a.i(0));
                  rt::print("child sees counter = " + std::to_string(g_counter));
                }}};
  d.main = [](const ParamValues& p) {
    int64_t n = p.get_int("workers"), times = p.get_int("increments");
    g_counter = 0;
    int64_t t0 = rt::now_ns();
    std::vector<std::thread> threads;
    for (int64_t i = 0; i < n; ++i) threads.emplace_back(increment, times);
    for (auto& t : threads) t.join();
    int64_t thread_cost = (rt::now_ns() - t0) / n;
    rt::print("threads: counter = " + std::to_string(g_counter) + " (main sees every increment)");

    g_counter = 0;
    t0 = rt::now_ns();
    std::vector<std::unique_ptr<rt::Process>> procs;
    for (int64_t i = 0; i < n; ++i) {
      procs.push_back(std::make_unique<rt::Process>("increment", rt::Args{times}));
      procs.back()->start();
    }
    for (auto& pr : procs) pr->join();
    int64_t process_cost = (rt::now_ns() - t0) / n;
    rt::print("processes: counter = " + std::to_string(g_counter) +
              " (each child changed its own copy)");
    rt::print("start + join cost: thread " + us(thread_cost) + ", process " + us(process_cost));
  };
  return d;
}

}  // namespace mpviz::scenarios
