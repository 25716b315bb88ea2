// Not in the tutorial, but what its Lock section leads to: two processes take
// two locks in opposite order and wait for each other forever.
#include "engine/runtime/api.hpp"
#include "engine/runtime/lock.hpp"
#include "engine/runtime/process.hpp"
#include "scenarios/registry.hpp"

namespace mpviz::scenarios {
namespace {

// Takes `first`, naps (so the other one can take its first lock), then `second`.
class TwoLocks : public rt::Process {
 public:
  TwoLocks(rt::Lock first, rt::Lock second, double nap)
      : Process("TwoLocks", {rt::Value(first.handle()), rt::Value(second.handle()), nap}),
        first_(std::move(first)), second_(std::move(second)), nap_(nap) {}
  void run() override {
    first_.acquire();
    rt::print("got " + first_.name() + ", now waiting for " + second_.name());
    rt::sleep(nap_);
    second_.acquire();  // never returns: the other process holds it
    rt::print("got both");
    second_.release();
    first_.release();
  }

 private:
  rt::Lock first_, second_;
  double nap_;
};

}  // namespace

ScenarioDef deadlock() {
  ScenarioDef d;
  d.info.name = "deadlock";
  d.info.section = "4+";
  d.info.title_zh = "死锁：两把锁，相反的顺序";
  d.info.title_en = "Deadlock: two locks taken in opposite order";
  d.info.explain_zh =
      "教程之外的一课：Process-1 先拿 lock_a 再拿 lock_b，Process-2 先拿 lock_b 再拿 lock_a。"
      "两人都拿到第一把锁后，都在等对方手里的那一把，永远等下去——主进程的 join 也一样。"
      "mpviz 会提示死锁。解决办法：所有进程按同一顺序取锁。请按停止结束。";
  d.info.explain_en =
      "A lesson beyond the tutorial: Process-1 takes lock_a then lock_b, Process-2 takes lock_b "
      "then lock_a. Once each holds its first lock, each waits for the one the other holds, "
      "forever - and so does main's join. mpviz points out the deadlock. The cure: every "
      "process takes the locks in the same order. Press Stop to end it.";
  d.info.listing_file = "deadlock.py";
  d.info.runs_forever = true;
  d.info.params = {
      {"nap", ParamType::Float, 0.5, 0.0, 10.0, "seconds between the first and second acquire",
       "两次 acquire 之间睡眠的秒数"},
  };
  d.entries = {{"TwoLocks", [](const rt::Args& a) {
                  TwoLocks(rt::Lock(a.h(0)), rt::Lock(a.h(1)), a.f(2)).run();
                }}};
  d.main = [](const ParamValues& p) {
    rt::Lock a("lock_a"), b("lock_b");
    double nap = p.get_float("nap");
    TwoLocks w1(a, b, nap), w2(b, a, nap);
    w1.start();
    w2.start();
    w1.join();
    w2.join();
    rt::print("never printed");
  };
  return d;
}

}  // namespace mpviz::scenarios
