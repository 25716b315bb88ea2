// Tutorial section 10 (进程池): Pool.apply_async and Pool.map.
#include <string>
#include <vector>

#include "engine/runtime/api.hpp"
#include "engine/runtime/pool.hpp"
#include "scenarios/registry.hpp"

namespace mpviz::scenarios {

ScenarioDef pool_apply_async() {
  ScenarioDef d;
  d.info.name = "pool-apply-async";
  d.info.section = "10";
  d.info.title_zh = "进程池 Pool.apply_async：工作进程被复用";
  d.info.title_en = "Pool.apply_async: workers are reused";
  d.info.explain_zh =
      "Pool(3) 异步提交 4 个任务，每个任务打印开始、睡 3 秒、打印结束。任务 0-2 同时运行，任务 3 要等到有空闲的工作进程，"
      "总共约 6 秒。勘误：教程说“进程池未满时会为每个请求创建新进程”，实际上 Pool(3) 一开始就启动 3 个工作进程并"
      "反复使用它们（同一个 pid 会运行多个任务），除非设置了 maxtasksperchild。看时间线上任务 3 落在哪个 pid 上。";
  d.info.explain_en =
      "Pool(3) gets four asynchronous tasks; each prints a start line, sleeps 3 s and prints an end "
      "line. Tasks 0-2 run at once, task 3 waits for a free worker: about 6 s in all. Erratum: the "
      "tutorial says a new process is created per request while the pool is not full; in fact "
      "Pool(3) starts its 3 workers up front and REUSES them (one pid runs several tasks) unless "
      "maxtasksperchild is set. Watch which pid runs task 3.";
  d.info.listing_file = "pool_apply_async.py";
  d.info.params = {
      {"workers", ParamType::Int, int64_t{3}, 1, 16, "processes in the pool", "进程池大小"},
      {"tasks", ParamType::Int, int64_t{4}, 1, 5000, "tasks submitted", "提交的任务数"},
      {"task_s", ParamType::Float, 3.0, 0.0, 30.0, "seconds each task sleeps", "每个任务睡眠的秒数"},
  };
  d.pool_funcs = {{"function", [](const rt::Args& a) {
                     rt::print("Start process: " + std::to_string(a.i(0)));
                     rt::sleep(a.f(1));
                     rt::print("End process: " + std::to_string(a.i(0)));
                     return std::string("None");
                   }}};
  d.main = [](const ParamValues& p) {
    rt::Pool pool(static_cast<int>(p.get_int("workers")));
    for (int64_t i = 0; i < p.get_int("tasks"); ++i)
      pool.apply_async("function", {i, p.get_float("task_s")});
    rt::print("Main process started");
    pool.close();
    pool.join();
    rt::print("Main process ended");
  };
  return d;
}

namespace {
// Simulated fetches: classrooms are often offline. Each URL has a latency;
// the last one does not resolve and fails after its timeout.
struct FakeSite {
  const char* url;
  double latency_s;
  bool reachable;
};
constexpr FakeSite kSites[] = {
    {"https://www.baidu.com/", 0.6, true},
    {"https://www.meituan.com/", 1.1, true},
    {"https://blog.csdn.net/", 0.8, true},
    {"https://xxxyxxx.net/", 2.0, false},
};
}  // namespace

ScenarioDef pool_map() {
  ScenarioDef d;
  d.info.name = "pool-map";
  d.info.section = "10";
  d.info.title_zh = "进程池 Pool.map：模拟抓取网页";
  d.info.title_en = "Pool.map: simulated page fetches";
  d.info.explain_zh =
      "Pool(3).map(scrape, urls) 把 4 个网址分给工作进程，结果按输入顺序返回，不管谁先完成。"
      "注意：这里的抓取是模拟的（课堂常常没有网络）——每个网址有固定的延迟，最后一个网址无法解析，"
      "超时后打印 not Scraped。mpviz 额外打印 map() 的返回值，以显示结果的顺序。";
  d.info.explain_en =
      "Pool(3).map(scrape, urls) hands the four URLs to the workers; results come back in input "
      "order, whoever finishes first. Note: fetching is SIMULATED here (classrooms are often "
      "offline) - each URL has a fixed latency, and the last one does not resolve and prints 'not "
      "Scraped' after a timeout. mpviz also prints what map() returned, to show the result order.";
  d.info.listing_file = "pool_map.py";
  d.info.params = {
      {"workers", ParamType::Int, int64_t{3}, 1, 16, "processes in the pool", "进程池大小"},
  };
  d.pool_funcs = {{"scrape", [](const rt::Args& a) {
                     const FakeSite& s = kSites[a.i(0)];
                     rt::sleep(s.latency_s);  // the simulated network round trip
                     std::string url = s.url;
                     if (s.reachable) {
                       rt::print("URL: " + url + " Scraped");
                       return std::string("Scraped");
                     }
                     rt::print("URL: " + url + " not Scraped");
                     return std::string("not Scraped");
                   }}};
  d.main = [](const ParamValues& p) {
    rt::Pool pool(static_cast<int>(p.get_int("workers")));
    std::vector<rt::Args> items;
    for (int64_t i = 0; i < static_cast<int64_t>(std::size(kSites)); ++i) items.push_back({i});
    auto results = pool.map("scrape", items);
    pool.close();
    pool.join();
    std::string list;
    for (size_t i = 0; i < results.size(); ++i)
      list += (i ? ", '" : "'") + results[i] + "'";
    rt::print("map() returned: [" + list + "]");
    rt::print("Main process finished");
  };
  return d;
}

}  // namespace mpviz::scenarios
