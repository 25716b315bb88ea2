// The child side of the pipe: batching, and what happens when nobody reads.
#include <gtest/gtest.h>
#include <fcntl.h>
#include <unistd.h>

#include <chrono>

#include "engine/runtime/emitter.hpp"
#include "engine/wire/wire_codec.hpp"

using namespace mpviz;

namespace {
std::vector<Event> drain(int fd, wire::FrameDecoder& d) {
  std::vector<Event> out;
  std::vector<uint8_t> buf(65536);
  for (;;) {
    ssize_t n = read(fd, buf.data(), buf.size());
    if (n <= 0) break;
    d.feed(std::span<const uint8_t>(buf.data(), static_cast<size_t>(n)), out);
  }
  return out;
}
}  // namespace

TEST(Emitter, BatchesUntilAFlushingKindOrExplicitFlush) {
  int p[2];
  ASSERT_EQ(pipe2(p, O_NONBLOCK), 0);
  rt::Emitter em;
  em.attach(p[1]);
  for (int i = 0; i < 5; ++i) {
    Event e = make_event(EventKind::lock_acquire, 1, 0);
    em.emit(e);
  }
  wire::FrameDecoder d;
  EXPECT_TRUE(drain(p[0], d).empty()) << "nothing written yet: batched";
  em.flush();
  auto got = drain(p[0], d);
  EXPECT_EQ(got.size(), 5u);
  EXPECT_EQ(d.stats().frames, 1u) << "five events, one frame";
  em.emit(make_event(EventKind::process_exit, 1, 0));  // flushes by itself
  EXPECT_EQ(drain(p[0], d).size(), 1u);
  close(p[0]);
  close(p[1]);
}

// A reader that never reads must not stall a child forever: after a bounded
// wait frames are dropped and counted, and every frame that did get through
// is whole.
TEST(Emitter, FullPipeDropsAndCountsInsteadOfHanging) {
  int p[2];
  ASSERT_EQ(pipe2(p, O_NONBLOCK), 0);
  fcntl(p[1], F_SETPIPE_SZ, 4096);
  rt::Emitter em;
  em.attach(p[1]);
  auto t0 = std::chrono::steady_clock::now();
  for (int i = 0; i < 200; ++i) {
    Event e = make_event(EventKind::print, 1, 0);
    e.text = std::string(300, 'x');
    e.value = i;
    em.emit(e);
    em.flush();
  }
  auto took = std::chrono::steady_clock::now() - t0;
  EXPECT_LT(took, std::chrono::seconds(5));
  EXPECT_GT(em.dropped(), 100u);
  wire::FrameDecoder d;
  auto got = drain(p[0], d);
  EXPECT_GT(got.size(), 0u);
  EXPECT_EQ(got.size() + em.dropped(), 200u);
  EXPECT_EQ(d.stats().dropped_frames, 0u) << "no torn frame";
  // Once there is room again, events flow again.
  Event e = make_event(EventKind::print, 1, 0);
  em.emit(e);
  em.flush();
  EXPECT_EQ(drain(p[0], d).size(), 1u);
  close(p[0]);
  close(p[1]);
}
