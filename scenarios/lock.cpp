// Tutorial section 4 (进程互斥锁): five processes print under one shared Lock.
#include <memory>
#include <vector>

#include "engine/runtime/api.hpp"
#include "engine/runtime/lock.hpp"
#include "engine/runtime/process.hpp"
#include "scenarios/registry.hpp"

namespace mpviz::scenarios {
namespace {

class LockedPrinter : public rt::Process {
 public:
  static constexpr const char* kEntry = "MyProcess";
  LockedPrinter(int64_t loop, rt::Lock lock, double sleep_s)
      : Process(kEntry, {loop, rt::Value(lock.handle()), sleep_s}, "MyProcess"),
        loop_(loop), lock_(std::move(lock)), sleep_s_(sleep_s) {}

  void run() override {
    for (int64_t count = 0; count < loop_; ++count) {
      rt::sleep(sleep_s_);
      lock_.acquire();
      rt::print("Pid: " + std::to_string(rt::getpid()) + " LoopCount: " + std::to_string(count));
      lock_.release();
    }
  }

 private:
  int64_t loop_;
  rt::Lock lock_;
  double sleep_s_;
};

}  // namespace

ScenarioDef lock() {
  ScenarioDef d;
  d.info.name = "lock";
  d.info.section = "4";
  d.info.title_zh = "进程互斥锁 Lock";
  d.info.title_en = "A mutual-exclusion Lock between processes";
  d.info.explain_zh =
      "五个子进程（loop = 10 到 14）共用一把 Lock：每次循环先睡 0.1 秒，再 acquire() 锁、打印、release()。"
      "观察锁的持有者和等待者：任何时刻最多只有一个进程持有锁，每一行 LoopCount 都是在锁内打印的。"
      "勘误：在 CPython 里用 spawn 运行这段程序，子进程会因 FileNotFoundError 失败——主进程没有 join，"
      "退出时 multiprocessing 先删除了锁背后的命名信号量，子进程还没来得及打开它（Python 模式可以亲眼看到）。";
  d.info.explain_en =
      "Five children (loop = 10 to 14) share one Lock: each loop sleeps 0.1 s, then acquire()s "
      "the lock, prints and release()s it. Watch the lock's owner and its waiters: never more "
      "than one holder at a time, and every LoopCount line is printed inside the lock. Erratum: "
      "under spawn, CPython runs this program into FileNotFoundError in every child - main never "
      "joins, and at its exit multiprocessing unlinks the Lock's named semaphore before the "
      "children have opened it (Python mode shows it happen).";
  d.info.listing_file = "lock.py";
  d.info.params = {
      {"processes", ParamType::Int, int64_t{5}, 1, 32, "number of child processes", "子进程数量"},
      {"first_loop", ParamType::Int, int64_t{10}, 0, 100000, "loop count of the first child",
       "第一个子进程的循环次数"},
      {"sleep", ParamType::Float, 0.1, 0.0, 10.0, "seconds slept before each acquire",
       "每次 acquire 之前睡眠的秒数"},
  };
  d.entries = {{LockedPrinter::kEntry, [](const rt::Args& a) {
                  LockedPrinter(a.i(0), rt::Lock(a.h(1)), a.f(2)).run();
                }}};
  d.main = [](const ParamValues& p) {
    rt::Lock lock("lock");
    int64_t first = p.get_int("first_loop");
    std::vector<std::unique_ptr<LockedPrinter>> ps;
    for (int64_t i = first; i < first + p.get_int("processes"); ++i) {
      ps.push_back(std::make_unique<LockedPrinter>(i, lock, p.get_float("sleep")));
      ps.back()->start();
    }
  };
  return d;
}

}  // namespace mpviz::scenarios
