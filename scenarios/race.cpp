// Shared state: N processes each do `counter.value += 1` K times on one
// shared Value. Without the lock, two processes read the same number and
// both write it plus one: an update is lost (value_write with lost: true).
// With `with counter.get_lock():` the final value is always N x K.
#include <chrono>
#include <memory>
#include <vector>

#include "engine/runtime/api.hpp"
#include "engine/runtime/process.hpp"
#include "engine/runtime/shared_value.hpp"
#include "scenarios/registry.hpp"

namespace mpviz::scenarios {
namespace {

// The work a real program does between reading and writing (Python's
// `+= 1` runs bytecode there): a few microseconds, busy, never a sleep.
void compute_briefly() {
  auto until = std::chrono::steady_clock::now() + std::chrono::microseconds(20);
  while (std::chrono::steady_clock::now() < until) {
  }
}

class Incrementer : public rt::Process {
 public:
  static constexpr const char* kEntry = "MyProcess";
  Incrementer(rt::SharedValue counter, int64_t k, bool use_lock)
      : Process(kEntry, {rt::Value(counter.handle()), k, use_lock}, "MyProcess"),
        counter_(std::move(counter)), k_(k), use_lock_(use_lock) {}

  void run() override {
    rt::Lock lock = counter_.get_lock();
    for (int64_t i = 0; i < k_; ++i) {
      if (use_lock_) lock.acquire();
      double v = counter_.get();  // counter.value += 1: a read ...
      compute_briefly();
      counter_.set(v + 1);        // ... then a write
      if (use_lock_) lock.release();
    }
  }

 private:
  rt::SharedValue counter_;
  int64_t k_;
  bool use_lock_;
};

}  // namespace

ScenarioDef race() {
  ScenarioDef d;
  d.info.name = "race";
  d.info.section = "4";
  d.info.title_zh = "共享变量 Value 与丢失的更新";
  d.info.title_en = "A shared Value and lost updates";
  d.info.explain_zh =
      "几个子进程共用一个 Value（counter），每个都把 counter.value += 1 做 K 次。"
      "+= 1 其实是两步：先读出 counter.value，再写回读到的数加一。不加锁时，两个进程可能读到同一个数，"
      "后写的那个把先写的结果覆盖掉——这次更新就丢了（时间线上的红色标记），最后的值小于 N×K。"
      "把 use_lock 打开（with counter.get_lock():），读和写之间别人插不进来，最后的值总是 N×K。";
  d.info.explain_en =
      "Several children share one Value (counter) and each does counter.value += 1 K times. "
      "`+= 1` is two steps: read counter.value, then write back what was read plus one. Without "
      "the lock, two processes can read the same number, and the later write overwrites the "
      "earlier one - that update is lost (a red mark on the timeline) and the final value is "
      "less than N x K. Turn on use_lock (with counter.get_lock():) and no one can write between "
      "a read and its write: the final value is always N x K.";
  d.info.listing_file = "race.py";
  d.info.params = {
      {"processes", ParamType::Int, int64_t{4}, 1, 16, "number of child processes", "子进程数量"},
      {"increments", ParamType::Int, int64_t{1000}, 1, 100000, "increments per process",
       "每个子进程加一的次数"},
      {"use_lock", ParamType::Bool, false, 0, 0, "increment under counter.get_lock()",
       "在 counter.get_lock() 之内加一"},
  };
  d.entries = {{Incrementer::kEntry, [](const rt::Args& a) {
                  Incrementer(rt::SharedValue(a.h(0)), a.i(1), a.b(2)).run();
                }}};
  d.main = [](const ParamValues& p) {
    rt::SharedValue counter("counter", 0);
    std::vector<std::unique_ptr<Incrementer>> ps;
    for (int64_t i = 0; i < p.get_int("processes"); ++i) {
      ps.push_back(std::make_unique<Incrementer>(counter, p.get_int("increments"),
                                                 p.get_bool("use_lock")));
      ps.back()->start();
    }
    for (auto& proc : ps) proc->join();
    rt::print("counter.value = " + std::to_string(counter.get_int()));
  };
  return d;
}

}  // namespace mpviz::scenarios
