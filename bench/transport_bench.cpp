// Transport benchmark: W writer processes -> one pipe -> a supervisor-style
// reader -> the EventLog model, in events per second, next to the raw limit
// of the same pipe measured in the same run.
//
//   raw:    each writer write()s one pre-encoded PIPE_BUF frame over and
//           over; the reader read()s and discards. Nothing is encoded,
//           decoded or stored: this is what the kernel pipe can carry.
//   engine: each writer emits events through the real rt::Emitter (stamp,
//           encode, batch, frame, CRC, write); the reader runs the loop of
//           Supervisor::reader_loop (poll, 64 KiB read, FrameDecoder, rebase
//           timestamps, EventLog::append).
// Both modes use the same event mix (so the same bytes per event) and are
// interleaved rep by rep so that machine noise hits both alike.
//
// Prints one JSON object on stdout.
#include <fcntl.h>
#include <poll.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "bench/bench_stats.hpp"
#include "engine/model/event_log.hpp"
#include "engine/runtime/emitter.hpp"
#include "engine/wire/wire_codec.hpp"

namespace {

using mpviz::Event;
using mpviz::EventKind;
namespace bench = mpviz::bench;
namespace wire = mpviz::wire;

struct Options {
  int writers = 4;
  int64_t events_per_writer = 1'000'000;
  int reps = 5;
  int pipe_bytes = 0;  // 0: the kernel default (what the supervisor uses)
};

// What a busy scenario emits most between flushes: lock, semaphore and queue
// operations with the tutorial's object names.
std::vector<Event> event_mix(int32_t pid) {
  auto ev = [pid](EventKind k, const char* obj) {
    Event e = mpviz::make_event(k, pid, 0);
    e.name = obj;
    return e;
  };
  Event acq = ev(EventKind::lock_acquire, "lock");
  Event rel = ev(EventKind::lock_release, "lock");
  Event sem = ev(EventKind::sem_release, "empty");
  sem.value = 1;
  Event put = ev(EventKind::queue_put, "buffer");
  put.text = "1";
  put.value = 1;
  put.limit = 10;
  return {acq, rel, sem, put};
}

// One full frame of the mix, and how many events it holds.
std::vector<uint8_t> full_frame(int32_t pid, int64_t& events_in_frame) {
  auto mix = event_mix(pid);
  std::vector<uint8_t> payload;
  events_in_frame = 0;
  for (size_t i = 0;; ++i) {
    Event e = mix[i % mix.size()];
    e.t_ns = bench::mono_ns();
    if (!wire::append_event(payload, e)) break;
    ++events_in_frame;
  }
  return wire::make_frame(payload);
}

void write_all(int fd, const uint8_t* p, size_t n) {
  while (n > 0) {
    ssize_t w = ::write(fd, p, n);
    if (w < 0) {
      if (errno == EINTR) continue;
      _exit(3);
    }
    p += w;
    n -= static_cast<size_t>(w);
  }
}

[[noreturn]] void raw_writer(int fd, int64_t events) {
  int64_t per_frame = 0;
  auto frame = full_frame(getpid(), per_frame);
  for (int64_t sent = 0; sent < events; sent += per_frame) write_all(fd, frame.data(), frame.size());
  _exit(0);
}

[[noreturn]] void engine_writer(int fd, int64_t events) {
  auto mix = event_mix(getpid());
  mpviz::rt::Emitter em;
  em.attach(fd);
  for (int64_t i = 0; i < events; ++i) {
    Event e = mix[static_cast<size_t>(i) % mix.size()];  // t_ns 0: the emitter stamps it
    em.emit(std::move(e));
  }
  em.flush();
  _exit(0);
}

struct RepResult {
  int64_t events = 0;
  int64_t ns = 0;
  int64_t reader_cpu_ns = 0;  // CPU time of the reading process (user + system)
  uint64_t dropped = 0;
  size_t log_bytes = 0;  // what the EventLog holds at the end (engine mode)
};

int64_t self_cpu_ns() {
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  auto ns = [](const timeval& tv) { return tv.tv_sec * 1'000'000'000LL + tv.tv_usec * 1000LL; };
  return ns(ru.ru_utime) + ns(ru.ru_stime);
}

// Forks the writers behind a start gate (a pipe whose write end we close to
// release them all at once), then reads until every writer has exited.
template <typename Reader>
RepResult run_rep(const Options& o, bool raw, Reader&& read_all) {
  int ev[2], go[2];
  if (pipe(ev) != 0 || pipe(go) != 0) {
    std::perror("pipe");
    std::exit(1);
  }
  // Diagnostic only: does a deeper pipe let writers run ahead of the reader?
  if (o.pipe_bytes > 0) fcntl(ev[1], F_SETPIPE_SZ, o.pipe_bytes);
  std::vector<pid_t> pids;
  for (int w = 0; w < o.writers; ++w) {
    pid_t pid = fork();
    if (pid < 0) {
      std::perror("fork");
      std::exit(1);
    }
    if (pid == 0) {
      close(ev[0]);
      close(go[1]);
      char c;
      while (read(go[0], &c, 1) < 0 && errno == EINTR) {
      }
      if (raw) raw_writer(ev[1], o.events_per_writer);
      engine_writer(ev[1], o.events_per_writer);
    }
    pids.push_back(pid);
  }
  close(ev[1]);
  close(go[0]);
  int64_t cpu0 = self_cpu_ns();
  int64_t t0 = bench::mono_ns();
  close(go[1]);
  RepResult r = read_all(ev[0], t0);
  r.ns = bench::mono_ns() - t0;
  r.reader_cpu_ns = self_cpu_ns() - cpu0;
  close(ev[0]);
  for (pid_t p : pids) {
    int st = 0;
    waitpid(p, &st, 0);
    if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) {
      std::fprintf(stderr, "transport: writer %d failed\n", p);
      std::exit(1);
    }
  }
  return r;
}

RepResult read_raw(int fd, size_t frame_bytes, int64_t events_per_frame) {
  std::vector<uint8_t> buf(64 * 1024);
  uint64_t bytes = 0;
  for (;;) {
    ssize_t n = ::read(fd, buf.data(), buf.size());
    if (n == 0) break;
    if (n < 0) {
      if (errno == EINTR) continue;
      break;
    }
    bytes += static_cast<uint64_t>(n);
  }
  RepResult r;
  r.events = static_cast<int64_t>(bytes / frame_bytes) * events_per_frame;
  return r;
}

// The body of Supervisor::reader_loop, minus its end-of-run bookkeeping.
RepResult read_engine(int fd, int64_t t0) {
  mpviz::EventLog log;
  wire::FrameDecoder dec;
  std::vector<uint8_t> buf(64 * 1024);
  std::vector<mpviz::EventView> out;
  for (;;) {
    pollfd p{fd, POLLIN, 0};
    int r = ::poll(&p, 1, 50);
    if (r < 0 && errno != EINTR) break;
    if (r <= 0) continue;
    ssize_t n = ::read(fd, buf.data(), buf.size());
    if (n == 0) break;
    if (n < 0) {
      if (errno == EINTR || errno == EAGAIN) continue;
      break;
    }
    out.clear();
    dec.feed(std::span<const uint8_t>(buf.data(), static_cast<size_t>(n)), out);
    for (auto& e : out) e.t_ns -= t0;
    log.append(std::span<const mpviz::EventView>(out));
    out.clear();  // keeps its capacity, as the supervisor does
  }
  dec.finish();
  RepResult res;
  res.events = static_cast<int64_t>(log.size());
  res.dropped = dec.stats().dropped_frames;
  res.log_bytes = log.bytes_used();
  return res;
}

Options parse(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto next = [&]() -> const char* {
      if (i + 1 >= argc) {
        std::fprintf(stderr, "transport: %s needs a value\n", a.c_str());
        std::exit(2);
      }
      return argv[++i];
    };
    if (a == "--quick") {
      o.events_per_writer = 20'000;
      o.reps = 1;
    } else if (a == "--writers") {
      o.writers = std::atoi(next());
    } else if (a == "--events") {
      o.events_per_writer = std::atoll(next());
    } else if (a == "--pipe-bytes") {
      o.pipe_bytes = std::atoi(next());
    } else if (a == "--reps") {
      o.reps = std::atoi(next());
    } else {
      std::fprintf(stderr, "usage: %s [--quick] [--writers N] [--events PER_WRITER] [--reps R] [--pipe-bytes N]\n",
                   argv[0]);
      std::exit(2);
    }
  }
  if (o.writers < 1 || o.events_per_writer < 1 || o.reps < 1) {
    std::fprintf(stderr, "transport: counts must be positive\n");
    std::exit(2);
  }
  return o;
}

}  // namespace

int main(int argc, char** argv) {
  Options o = parse(argc, argv);
  int64_t per_frame = 0;
  auto frame = full_frame(1, per_frame);
  const double bytes_per_event = static_cast<double>(frame.size() - wire::kHeaderSize) / per_frame;

  std::vector<double> raw_rate, engine_rate, reader_ns_per_event, reader_busy, log_bytes;
  uint64_t dropped = 0;
  int64_t expected = o.events_per_writer * o.writers;
  for (int rep = 0; rep < o.reps; ++rep) {
    RepResult raw = run_rep(o, true, [&](int fd, int64_t) { return read_raw(fd, frame.size(), per_frame); });
    raw_rate.push_back(static_cast<double>(raw.events) * 1e9 / static_cast<double>(raw.ns));
    RepResult eng = run_rep(o, false, read_engine);
    if (eng.events != expected) {
      std::fprintf(stderr, "transport: got %lld events, expected %lld\n",
                   static_cast<long long>(eng.events), static_cast<long long>(expected));
      return 1;
    }
    dropped += eng.dropped;
    engine_rate.push_back(static_cast<double>(eng.events) * 1e9 / static_cast<double>(eng.ns));
    reader_ns_per_event.push_back(static_cast<double>(eng.reader_cpu_ns) / eng.events);
    reader_busy.push_back(static_cast<double>(eng.reader_cpu_ns) / eng.ns);
    log_bytes.push_back(static_cast<double>(eng.log_bytes) / static_cast<double>(eng.events));
  }

  nlohmann::json j;
  j["writers"] = o.writers;
  j["events_per_writer"] = o.events_per_writer;
  j["reps"] = o.reps;
  j["pipe_bytes"] = o.pipe_bytes;
  j["events_per_frame"] = per_frame;
  j["bytes_per_event"] = bytes_per_event;
  j["raw_events_s"] = bench::summary(raw_rate);
  j["engine_events_s"] = bench::summary(engine_rate);
  j["engine_over_raw"] = bench::median(engine_rate) / bench::median(raw_rate);
  j["dropped_frames"] = dropped;
  // Where the engine's time goes: CPU the reader spends per event, and the
  // fraction of the wall time it was on a CPU (near 1: the reader is the
  // bottleneck).
  j["engine_reader_cpu_ns_per_event"] = bench::summary(reader_ns_per_event);
  j["engine_reader_busy_fraction"] = bench::summary(reader_busy);
  // Memory of the live model: packed records plus their strings, per event.
  j["engine_log_bytes_per_event"] = bench::summary(log_bytes);
  std::printf("%s\n", j.dump(1).c_str());
  return 0;
}
