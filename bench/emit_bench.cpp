// What one traced event costs inside a scenario process (Google Benchmark).
//
// The emitter writes into a real pipe drained by a thread, as the
// supervisor's reader drains the event pipe, so a write() costs what it
// costs in a run (a wake-up of the reader included). Each iteration builds
// the event the way the runtime does (make_event + object name) and emits it.
#include <benchmark/benchmark.h>
#include <fcntl.h>
#include <unistd.h>

#include <atomic>
#include <thread>
#include <vector>

#include "engine/runtime/emitter.hpp"
#include "engine/wire/wire_codec.hpp"

namespace {

using mpviz::Event;
using mpviz::EventKind;

// A pipe whose read end a thread drains until destruction.
class DrainedPipe {
 public:
  DrainedPipe() {
    if (pipe2(fds_, O_CLOEXEC) != 0) std::abort();
    drain_ = std::thread([this] {
      std::vector<char> buf(64 * 1024);
      while (read(fds_[0], buf.data(), buf.size()) > 0) {
      }
    });
  }
  ~DrainedPipe() {
    close(fds_[1]);
    drain_.join();
    close(fds_[0]);
  }
  int write_fd() const { return fds_[1]; }

 private:
  int fds_[2];
  std::thread drain_;
};

Event runtime_like(EventKind k) {
  Event e = mpviz::make_event(k, 4242, 0);  // 0: the emitter stamps the time
  e.name = "lock";
  return e;
}

// The common case: an event that does not force a flush; it is encoded into
// the batch and goes out with ~80 others in one write().
void BM_EmitBatched(benchmark::State& st) {
  DrainedPipe p;
  mpviz::rt::Emitter em;
  em.attach(p.write_fd());
  for (auto _ : st) em.emit(runtime_like(EventKind::lock_acquire));
  em.flush();
  st.SetItemsProcessed(st.iterations());
}
BENCHMARK(BM_EmitBatched);

// An event after which the process may block (lock_wait, print, sleep_begin,
// ...): flushed right away, so it pays a whole write() by itself.
void BM_EmitFlushing(benchmark::State& st) {
  DrainedPipe p;
  mpviz::rt::Emitter em;
  em.attach(p.write_fd());
  for (auto _ : st) em.emit(runtime_like(EventKind::lock_wait));
  st.SetItemsProcessed(st.iterations());
}
BENCHMARK(BM_EmitFlushing);

// --no-trace: what is left of an event when tracing is off (building it).
void BM_EmitDisabled(benchmark::State& st) {
  DrainedPipe p;
  mpviz::rt::Emitter em;
  em.attach(p.write_fd());
  em.set_enabled(false);
  for (auto _ : st) em.emit(runtime_like(EventKind::lock_acquire));
  st.SetItemsProcessed(st.iterations());
}
BENCHMARK(BM_EmitDisabled);

// The encoder alone (no clock, no write): the floor of a batched event.
void BM_EncodeOnly(benchmark::State& st) {
  Event e = runtime_like(EventKind::lock_acquire);
  e.t_ns = 123456789;
  std::vector<uint8_t> payload;
  payload.reserve(mpviz::wire::kMaxPayload);
  for (auto _ : st) {
    if (!mpviz::wire::append_event(payload, e)) payload.clear();
    benchmark::DoNotOptimize(payload.data());
  }
  st.SetItemsProcessed(st.iterations());
}
BENCHMARK(BM_EncodeOnly);

// The reader's share per event: CRC check + decode of full frames into the
// EventViews the supervisor's reader uses (strings viewed, not copied).
void BM_DecodePerEvent(benchmark::State& st) {
  Event e = runtime_like(EventKind::lock_acquire);
  e.t_ns = 123456789;
  std::vector<uint8_t> payload;
  int64_t n = 0;
  while (mpviz::wire::append_event(payload, e)) ++n;
  auto frame = mpviz::wire::make_frame(payload);
  mpviz::wire::FrameDecoder dec;
  std::vector<mpviz::EventView> out;
  for (auto _ : st) {
    out.clear();
    dec.feed(frame, out);
    benchmark::DoNotOptimize(out.data());
  }
  st.SetItemsProcessed(st.iterations() * n);
}
BENCHMARK(BM_DecodePerEvent);

}  // namespace

BENCHMARK_MAIN();
