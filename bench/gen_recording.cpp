// Writes a realistic synthetic recording of about N events (CONTRACT format,
// loadable by `mpviz gui --open` and `mpviz export`) for the recording and
// GUI-scale benchmarks:
//
//   mpviz_gen_recording --events N --out FILE [--workers W] [--pairs P] [--seed S]
//
// A small discrete-event simulation, so the events make sense together:
// MainProcess starts W workers and P producer/consumer pairs, then joins them
// one by one. A worker loops: sleep, acquire the semaphore "slots" (2 slots),
// take the lock "lock", print, release both. A producer puts "item-N" into
// its queue ("buffer", "buffer2", ...; maxsize 5) and sleeps; its consumer
// gets and prints. Blocking is real: a lock waiter gets the lock when the
// holder releases it, a full queue blocks the producer, an empty one the
// consumer. When about N events have been written every process finishes its
// loop (the producer sends "STOP" to its consumer) and exits; run_end last.
// Events are produced in time order (a heap of per-process next times), so
// the file is ordered by t_ns like a real recording. Prints a JSON summary.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <queue>
#include <string>
#include <vector>

#include "engine/recording/recording.hpp"

namespace {

using mpviz::Event;
using mpviz::EventKind;

struct Rng {
  uint64_t s;
  uint64_t next() {  // splitmix64
    uint64_t z = (s += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
  int64_t range(int64_t lo, int64_t hi) { return lo + static_cast<int64_t>(next() % uint64_t(hi - lo + 1)); }
};

enum class Role { Main, Worker, Producer, Consumer };

struct Proc {
  int32_t pid = 0;
  Role role = Role::Worker;
  std::string name;
  int phase = 0;
  int64_t step = 0;
  int pair = 0;       // producer/consumer: which queue
  bool final = false; // producer: sent STOP / consumer: got STOP
  bool exited = false;
  int64_t exit_t = 0;
  size_t join_next = 0;  // main: next child to join
  bool joining = false;
  double slept = 0;   // seconds of the sleep in progress
};

struct Queue {
  std::string name;
  std::deque<std::string> items;
  int64_t maxsize = 5;
  int put_waiter = -1, get_waiter = -1;  // index of the blocked process
};

class Sim {
 public:
  Sim(int workers, int pairs, uint64_t seed, FILE* out) : rng_{seed}, out_(out) {
    add(Role::Main, "MainProcess", 0);
    for (int i = 0; i < workers; ++i) add(Role::Worker, "Worker-" + std::to_string(i + 1), 0);
    for (int i = 0; i < pairs; ++i) {
      add(Role::Producer, "Producer-" + std::to_string(i + 1), i);
      add(Role::Consumer, "Consumer-" + std::to_string(i + 1), i);
      Queue q;
      q.name = i == 0 ? "buffer" : "buffer" + std::to_string(i + 1);
      queues_.push_back(q);
    }
    buf_.reserve(1 << 20);
  }

  int64_t run(int64_t target, const std::string& header) {
    buf_ += header;
    buf_ += '\n';
    budget_ = target;
    Event e = ev(0, EventKind::process_start);
    e.other = 1;
    e.name = procs_[0].name;
    emit(e);
    wake(0, 1'000'000);  // main starts its children
    while (!heap_.empty()) {
      auto [t, i] = heap_.top();
      heap_.pop();
      step(static_cast<size_t>(i), t);
    }
    flush(true);
    return count_;
  }

 private:
  using Item = std::pair<int64_t, int>;
  Rng rng_;
  FILE* out_;
  std::vector<Proc> procs_;
  std::vector<Queue> queues_;
  std::priority_queue<Item, std::vector<Item>, std::greater<>> heap_;
  std::string buf_;
  int64_t count_ = 0, budget_ = 0;
  // Lock and semaphore.
  int lock_holder = -1;
  std::deque<int> lock_waiters;
  int64_t sem_count = 2;
  std::deque<int> sem_waiters;

  void add(Role r, std::string name, int pair) {
    Proc p;
    p.pid = 4100 + static_cast<int32_t>(procs_.size()) * 7;
    p.role = r;
    p.name = std::move(name);
    p.pair = pair;
    procs_.push_back(std::move(p));
  }
  bool stopping() const { return count_ >= budget_ - static_cast<int64_t>(procs_.size()) * 12; }
  int64_t d() { return rng_.range(800, 3000); }  // a few microseconds between steps
  void wake(size_t i, int64_t t) { heap_.push({t, static_cast<int>(i)}); }
  Event ev(size_t i, EventKind k) { return mpviz::make_event(k, procs_[i].pid, 0); }
  void flush(bool all) {
    if (all || buf_.size() > (1u << 20)) {
      std::fwrite(buf_.data(), 1, buf_.size(), out_);
      buf_.clear();
    }
  }
  void emit(Event& e) {
    buf_ += mpviz::event_to_json_line(e);
    buf_ += '\n';
    ++count_;
    flush(false);
  }
  void at(Event& e, int64_t t) {
    e.t_ns = t;
    emit(e);
  }
  void exit_proc(size_t i, int64_t t) {
    Event e = ev(i, EventKind::process_exit);
    at(e, t);
    procs_[i].exited = true;
    procs_[i].exit_t = t;
    Proc& m = procs_[0];
    if (m.joining && m.join_next == i) wake(0, t + d());
  }
  void sleep(size_t i, int64_t t, double s, int next_phase) {
    Event e = ev(i, EventKind::sleep_begin);
    e.seconds = s;
    at(e, t);
    procs_[i].slept = s;
    procs_[i].phase = next_phase;
    wake(i, t + static_cast<int64_t>(s * 1e9 / 50) + d());  // --speed 50
  }

  void step(size_t i, int64_t t) {
    switch (procs_[i].role) {
      case Role::Main: return main_step(i, t);
      case Role::Worker: return worker_step(i, t);
      case Role::Producer: return producer_step(i, t);
      case Role::Consumer: return consumer_step(i, t);
    }
  }

  void main_step(size_t, int64_t t) {
    Proc& m = procs_[0];
    if (m.phase == 0) {  // start every child, one per step
      size_t c = static_cast<size_t>(++m.step);
      Event e = ev(c, EventKind::process_start);
      e.other = m.pid;
      e.name = procs_[c].name;
      at(e, t);
      wake(c, t + d() * 20);
      if (c + 1 == procs_.size()) {
        m.phase = 1;
        m.join_next = 1;
      }
      wake(0, t + d() * 10);
      return;
    }
    if (m.phase == 1) {  // join_begin the next child
      if (m.join_next == procs_.size()) {
        Event x = ev(0, EventKind::process_exit);
        at(x, t);
        Event r = ev(0, EventKind::run_end);
        r.text = "finished";
        at(r, t);
        return;
      }
      Event e = ev(0, EventKind::join_begin);
      e.other = procs_[m.join_next].pid;
      at(e, t);
      m.phase = 2;
      m.joining = true;
      if (procs_[m.join_next].exited) wake(0, t + d());
      return;
    }
    // phase 2: the child exited: join_end
    Event e = ev(0, EventKind::join_end);
    e.other = procs_[m.join_next].pid;
    at(e, t);
    m.joining = false;
    ++m.join_next;
    m.phase = 1;
    wake(0, t + d());
  }

  void worker_step(size_t i, int64_t t) {
    Proc& p = procs_[i];
    switch (p.phase) {
      case 0:
        if (stopping()) return exit_proc(i, t);
        return sleep(i, t, 0.01 * static_cast<double>(rng_.range(1, 20)), 1);
      case 1: {
        Event e = ev(i, EventKind::sleep_end);
        e.seconds = p.slept;
        at(e, t);
        p.phase = 2;
        return wake(i, t + d());
      }
      case 2: {
        Event e = ev(i, EventKind::sem_wait);
        e.name = "slots";
        e.value = sem_count;
        at(e, t);
        p.phase = 3;
        if (sem_count > 0) {
          --sem_count;
          wake(i, t + d());
        } else {
          sem_waiters.push_back(static_cast<int>(i));
        }
        return;
      }
      case 3: {
        Event e = ev(i, EventKind::sem_acquire);
        e.name = "slots";
        e.value = sem_count;
        at(e, t);
        p.phase = 4;
        return wake(i, t + d());
      }
      case 4: {
        Event e = ev(i, EventKind::lock_wait);
        e.name = "lock";
        at(e, t);
        p.phase = 5;
        if (lock_holder < 0) {
          lock_holder = static_cast<int>(i);
          wake(i, t + d());
        } else {
          lock_waiters.push_back(static_cast<int>(i));
        }
        return;
      }
      case 5: {
        Event e = ev(i, EventKind::lock_acquire);
        e.name = "lock";
        at(e, t);
        p.phase = 6;
        return wake(i, t + d());
      }
      case 6: {
        Event e = ev(i, EventKind::print);
        e.text = p.name + " in the critical section, step " + std::to_string(++p.step);
        at(e, t);
        p.phase = 7;
        return wake(i, t + d() * 10);
      }
      case 7: {
        Event e = ev(i, EventKind::lock_release);
        e.name = "lock";
        at(e, t);
        if (!lock_waiters.empty()) {
          lock_holder = lock_waiters.front();
          lock_waiters.pop_front();
          wake(static_cast<size_t>(lock_holder), t + d());
        } else {
          lock_holder = -1;
        }
        p.phase = 8;
        return wake(i, t + d());
      }
      default: {
        Event e = ev(i, EventKind::sem_release);
        e.name = "slots";
        e.value = ++sem_count;
        at(e, t);
        if (!sem_waiters.empty()) {
          --sem_count;
          wake(static_cast<size_t>(sem_waiters.front()), t + d());
          sem_waiters.pop_front();
        }
        p.phase = 0;
        return wake(i, t + d());
      }
    }
  }

  Event qev(size_t i, EventKind k, const Queue& q, const std::string& item) {
    Event e = ev(i, k);
    e.name = q.name;
    e.text = item;
    e.value = static_cast<int64_t>(q.items.size());
    e.limit = q.maxsize;
    return e;
  }

  void producer_step(size_t i, int64_t t) {
    Proc& p = procs_[i];
    Queue& q = queues_[static_cast<size_t>(p.pair)];
    switch (p.phase) {
      case 0: {
        if (stopping()) p.final = true;
        std::string item = p.final ? "STOP" : "item-" + std::to_string(p.step + 1);
        Event e = qev(i, EventKind::queue_put_wait, q, item);
        at(e, t);
        p.phase = 1;
        if (static_cast<int64_t>(q.items.size()) < q.maxsize) wake(i, t + d());
        else q.put_waiter = static_cast<int>(i);
        return;
      }
      case 1: {
        std::string item = p.final ? "STOP" : "item-" + std::to_string(++p.step);
        q.items.push_back(item);
        Event e = qev(i, EventKind::queue_put, q, item);
        at(e, t);
        if (q.get_waiter >= 0) {
          wake(static_cast<size_t>(q.get_waiter), t + d());
          q.get_waiter = -1;
        }
        if (p.final) {
          p.phase = 3;
          return wake(i, t + d());
        }
        return sleep(i, t, 0.05, 2);
      }
      case 2: {
        Event e = ev(i, EventKind::sleep_end);
        e.seconds = p.slept;
        at(e, t);
        p.phase = 0;
        return wake(i, t + d());
      }
      default: return exit_proc(i, t);
    }
  }

  void consumer_step(size_t i, int64_t t) {
    Proc& p = procs_[i];
    Queue& q = queues_[static_cast<size_t>(p.pair)];
    switch (p.phase) {
      case 0: {
        Event e = qev(i, EventKind::queue_get_wait, q, "");
        at(e, t);
        p.phase = 1;
        if (!q.items.empty()) wake(i, t + d());
        else q.get_waiter = static_cast<int>(i);
        return;
      }
      case 1: {
        std::string item = q.items.front();
        q.items.pop_front();
        Event e = qev(i, EventKind::queue_get, q, item);
        at(e, t);
        if (q.put_waiter >= 0) {
          wake(static_cast<size_t>(q.put_waiter), t + d());
          q.put_waiter = -1;
        }
        if (item == "STOP") {
          p.phase = 3;
          return wake(i, t + d());
        }
        p.phase = 2;
        p.step++;
        return wake(i, t + d());
      }
      case 2: {
        Event e = ev(i, EventKind::print);
        e.text = p.name + " consumed item " + std::to_string(p.step);
        at(e, t);
        p.phase = 0;
        return wake(i, t + d() * 30);
      }
      default: return exit_proc(i, t);
    }
  }
};

}  // namespace

int main(int argc, char** argv) {
  int64_t events = 100000;
  int workers = 4, pairs = 2;
  uint64_t seed = 1;
  std::string out_path;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto val = [&]() -> std::string {
      if (i + 1 >= argc) {
        std::fprintf(stderr, "mpviz_gen_recording: %s needs a value\n", a.c_str());
        std::exit(2);
      }
      return argv[++i];
    };
    if (a == "--events") events = std::atoll(val().c_str());
    else if (a == "--out") out_path = val();
    else if (a == "--workers") workers = std::atoi(val().c_str());
    else if (a == "--pairs") pairs = std::atoi(val().c_str());
    else if (a == "--seed") seed = std::strtoull(val().c_str(), nullptr, 10);
    else {
      std::fprintf(stderr,
                   "usage: mpviz_gen_recording --events N --out FILE [--workers W] [--pairs P] [--seed S]\n");
      return 2;
    }
  }
  if (out_path.empty() || events < 100 || workers < 1 || pairs < 0) {
    std::fprintf(stderr, "mpviz_gen_recording: need --out FILE and --events N >= 100\n");
    return 2;
  }
  FILE* f = std::fopen(out_path.c_str(), "wb");
  if (!f) {
    std::fprintf(stderr, "mpviz_gen_recording: cannot write '%s'\n", out_path.c_str());
    return 2;
  }
  mpviz::RecordingHeader h;
  h.scenario = "synthetic";
  h.params = {{"pairs", int64_t{pairs}}, {"workers", int64_t{workers}}};
  h.started_unix_ms = 1700000000000;
  auto t0 = std::chrono::steady_clock::now();
  Sim sim(workers, pairs, seed, f);
  int64_t n = sim.run(events, mpviz::header_to_json_line(h));
  long bytes = std::ftell(f);
  if (std::fclose(f) != 0) {
    std::fprintf(stderr, "mpviz_gen_recording: writing '%s' failed\n", out_path.c_str());
    return 1;
  }
  double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  std::printf("{\"events\":%lld,\"bytes\":%ld,\"processes\":%d,\"write_s\":%.3f}\n",
              static_cast<long long>(n), bytes, 1 + workers + 2 * pairs, s);
  return 0;
}
