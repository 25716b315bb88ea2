// Tutorial section 5 (信号量): producer / consumer with two Semaphores, a
// Lock and a bounded Queue. Runs until stopped.
#include "engine/runtime/api.hpp"
#include "engine/runtime/lock.hpp"
#include "engine/runtime/process.hpp"
#include "engine/runtime/queue.hpp"
#include "engine/runtime/semaphore.hpp"
#include "scenarios/registry.hpp"

namespace mpviz::scenarios {
namespace {

struct Shared {
  rt::Queue buffer;
  rt::Semaphore empty, full;
  rt::Lock lock;
  double sleep_s;
  bool sleep_in_lock;
  int64_t items;  // 0: forever, as the tutorial

  rt::Args args() const {
    return {rt::Value(buffer.handle()), rt::Value(empty.handle()), rt::Value(full.handle()),
            rt::Value(lock.handle()), sleep_s, sleep_in_lock, items};
  }
  static Shared from(const rt::Args& a) {
    return {rt::Queue(a.h(0)), rt::Semaphore(a.h(1)), rt::Semaphore(a.h(2)), rt::Lock(a.h(3)),
            a.f(4), a.b(5), a.i(6)};
  }
};

class Consumer : public rt::Process {
 public:
  explicit Consumer(Shared s) : Process("Consumer", s.args(), "Consumer"), s_(std::move(s)) {}
  void run() override {
    for (int64_t n = 0; s_.items == 0 || n < s_.items; ++n) {
      s_.full.acquire();  // take one filled slot
      s_.lock.acquire();
      s_.buffer.get();
      rt::print("Cunsumer pop an element");  // sic: the tutorial's spelling
      if (s_.sleep_in_lock) rt::sleep(s_.sleep_s);
      s_.lock.release();
      s_.empty.release();  // give an empty slot back
      if (!s_.sleep_in_lock) rt::sleep(s_.sleep_s);
    }
  }

 private:
  Shared s_;
};

class Producer : public rt::Process {
 public:
  explicit Producer(Shared s) : Process("Producer", s.args(), "Producer"), s_(std::move(s)) {}
  void run() override {
    for (int64_t n = 0; s_.items == 0 || n < s_.items; ++n) {
      s_.empty.acquire();
      s_.lock.acquire();
      s_.buffer.put("1");
      rt::print("Producer append an element");
      if (s_.sleep_in_lock) rt::sleep(s_.sleep_s);
      s_.lock.release();
      s_.full.release();
      if (!s_.sleep_in_lock) rt::sleep(s_.sleep_s);
    }
  }

 private:
  Shared s_;
};

}  // namespace

ScenarioDef semaphore() {
  ScenarioDef d;
  d.info.name = "semaphore";
  d.info.section = "5";
  d.info.title_zh = "信号量：生产者与消费者";
  d.info.title_en = "Semaphores: producer and consumer";
  d.info.explain_zh =
      "缓冲区是一个 Queue(10)，empty = Semaphore(2) 表示空位数，full = Semaphore(0) 表示已放入的元素数，"
      "lock 保护缓冲区。生产者先 acquire empty 再放入，消费者先 acquire full 再取出。"
      "观察 empty 与 full 的计数：empty + full + 正在处理的 = 2，缓冲区里最多 2 个元素。"
      "注意程序在持有锁时睡眠，使生产者和消费者只能轮流工作——把参数 sleep_in_lock 改为 false 看看有什么不同。"
      "这个程序不会自己结束，请按停止。";
  d.info.explain_en =
      "The buffer is a Queue(10); empty = Semaphore(2) counts free slots, full = Semaphore(0) "
      "counts filled ones, and lock guards the buffer. The producer acquires empty before it puts, "
      "the consumer acquires full before it gets. Watch the counts: empty + full + in flight = 2, "
      "and the buffer never holds more than 2 items. The program sleeps while holding the lock, "
      "which makes producer and consumer take turns - set sleep_in_lock=false to see the "
      "difference. It never ends by itself: press Stop.";
  d.info.listing_file = "semaphore.py";
  d.info.runs_forever = true;
  d.info.params = {
      {"slots", ParamType::Int, int64_t{2}, 1, 10, "initial value of empty (free slots)",
       "empty 的初值（空位数）"},
      {"capacity", ParamType::Int, int64_t{10}, 1, 100, "maxsize of the buffer Queue",
       "缓冲队列的 maxsize"},
      {"sleep", ParamType::Float, 1.0, 0.0, 10.0, "seconds each side sleeps per item",
       "每处理一个元素睡眠的秒数"},
      {"sleep_in_lock", ParamType::Bool, true, 0, 0, "sleep while holding the lock (as the tutorial)",
       "持有锁时睡眠（与教程相同）"},
      {"items", ParamType::Int, int64_t{0}, 0, 10000000, "items to produce, 0 = forever (as the tutorial)",
       "生产的元素个数，0 表示永远（与教程相同）"},
  };
  d.entries = {
      {"Consumer", [](const rt::Args& a) { Consumer(Shared::from(a)).run(); }},
      {"Producer", [](const rt::Args& a) { Producer(Shared::from(a)).run(); }},
  };
  d.main = [](const ParamValues& p) {
    Shared s{rt::Queue(p.get_int("capacity"), "buffer"), rt::Semaphore(p.get_int("slots"), "empty"),
             rt::Semaphore(0, "full"), rt::Lock("lock"), p.get_float("sleep"),
             p.get_bool("sleep_in_lock"), p.get_int("items")};
    Producer prod(s);
    Consumer cons(s);
    prod.daemon = cons.daemon = true;
    cons.start();
    prod.start();
    prod.join();
    cons.join();
    rt::print("Main Process end");
  };
  return d;
}

}  // namespace mpviz::scenarios
