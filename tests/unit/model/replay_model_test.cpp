#include <gtest/gtest.h>

#include <random>

#include "engine/model/replay_model.hpp"

using namespace mpviz;

namespace {

// A synthetic producer/consumer story with many events: puts, gets,
// semaphore changes, lock hand-offs, pipe messages, a death.
std::vector<Event> story(size_t n) {
  std::vector<Event> evs;
  std::mt19937 rng(7);
  int64_t t = 0;
  auto add = [&](EventKind k, int32_t pid, std::string name, std::string text = {}, int64_t value = 0,
                 int32_t other = 0) {
    Event e = make_event(k, pid, t += 1 + rng() % 5);
    e.name = std::move(name);
    e.text = std::move(text);
    e.value = value;
    e.other = other;
    e.limit = 10;
    evs.push_back(std::move(e));
  };
  add(EventKind::process_start, 1, "MainProcess");
  add(EventKind::process_start, 2, "Producer-1", "", 0, 1);
  add(EventKind::process_start, 3, "Consumer-2", "", 0, 1);
  int64_t size = 0, sem = 2;
  int i = 0;
  while (evs.size() < n) {
    ++i;
    add(EventKind::lock_wait, 2, "lock");
    add(EventKind::lock_acquire, 2, "lock");
    if (size < 2) {
      add(EventKind::queue_put, 2, "buffer", std::to_string(i), ++size);
      add(EventKind::sem_release, 2, "full", "", --sem + 1);
    }
    add(EventKind::lock_release, 2, "lock");
    add(EventKind::pipe_send, 3, "pipe", "m" + std::to_string(i), 0, 1);
    add(EventKind::lock_wait, 3, "lock");
    add(EventKind::lock_acquire, 3, "lock");
    if (size > 0) add(EventKind::queue_get, 3, "buffer", "", --size);
    add(EventKind::lock_release, 3, "lock");
    add(EventKind::pipe_recv_wait, 2, "pipe", "", 0, 0);
    add(EventKind::pipe_recv, 2, "pipe", "m" + std::to_string(i), 0, 0);
    add(EventKind::sleep_begin, 2, "");
    add(EventKind::sleep_end, 2, "");
  }
  add(EventKind::lock_wait, 2, "lock");
  add(EventKind::lock_acquire, 2, "lock");
  add(EventKind::process_killed, 2, "", "user", 9);
  add(EventKind::lock_wait, 3, "lock");
  return evs;
}

SyncState from_zero(const std::vector<Event>& evs, int64_t t) {
  SyncState s;
  for (const auto& e : evs) {
    if (e.t_ns > t) break;
    s.apply(e);
  }
  return s;
}

}  // namespace

TEST(ReplayModel, StateAtAnyInstantEqualsReplayFromZero) {
  auto evs = story(30000);
  ReplayModel replay(evs);
  std::mt19937 rng(1);
  for (int k = 0; k < 60; ++k) {
    int64_t t = static_cast<int64_t>(rng() % static_cast<uint32_t>(evs.back().t_ns + 10));
    EXPECT_EQ(replay.state_at(t), from_zero(evs, t)) << "t=" << t;
  }
  EXPECT_EQ(replay.state_at(evs.back().t_ns), from_zero(evs, evs.back().t_ns));
}

TEST(ReplayModel, TheEndShowsADeadHolderAndStuckWaiter) {
  auto evs = story(2000);
  ReplayModel replay(evs);
  auto s = replay.state_at(evs.back().t_ns);
  EXPECT_EQ(s.locks["lock"].owner, 2);
  EXPECT_TRUE(s.locks["lock"].owner_dead);
  EXPECT_EQ(s.locks["lock"].waiters, std::vector<int32_t>{3});
  EXPECT_EQ(s.processes[2].state, ProcState::Killed);
  EXPECT_EQ(s.processes[3].state, ProcState::WaitingLock);
  EXPECT_LE(s.queues["buffer"].items.size(), 2u);
}

TEST(ReplayModel, AMillionEventsStillCostAtMostOneCheckpointOfWork) {
  auto evs = story(1'000'000);
  ReplayModel replay(evs);
  std::mt19937 rng(3);
  for (int k = 0; k < 20; ++k) {
    int64_t t = static_cast<int64_t>(rng() % static_cast<uint32_t>(evs.back().t_ns));
    replay.state_at(t);
    EXPECT_LE(replay.last_applied(), ReplayModel::kCheckpointEvery);
  }
}
