#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "engine/recording/chrome_export.hpp"
#include "engine/model/timeline_model.hpp"

using namespace mpviz;

namespace {

struct Script {
  std::vector<Event> evs;
  int64_t t = 0;
  Event& add(EventKind k, int32_t pid, std::string name = {}, std::string text = {}, int64_t value = 0,
             int32_t other = 0) {
    Event e = make_event(k, pid, t += 10);
    e.name = std::move(name);
    e.text = std::move(text);
    e.value = value;
    e.other = other;
    evs.push_back(e);
    return evs.back();
  }
};

Script pipe_and_lock_story() {
  Script s;
  s.add(EventKind::process_start, 1, "MainProcess", "", 0, 99);
  s.add(EventKind::process_start, 2, "Producer-1", "", 0, 1);
  s.add(EventKind::process_start, 3, "Consumer-2", "", 0, 1);
  s.add(EventKind::pipe_recv_wait, 2, "pipe", "", 0, 0);
  s.add(EventKind::pipe_send, 3, "pipe", "Consumer Words", 0, 1);
  s.add(EventKind::pipe_recv, 2, "pipe", "Consumer Words", 0, 0);
  s.add(EventKind::lock_wait, 2, "lock");
  s.add(EventKind::lock_acquire, 2, "lock");
  s.add(EventKind::lock_wait, 3, "lock");
  s.add(EventKind::lock_release, 2, "lock");
  s.add(EventKind::lock_acquire, 3, "lock");
  s.add(EventKind::sem_wait, 2, "full", "", 0);
  s.add(EventKind::sem_release, 3, "full", "", 1);
  s.add(EventKind::sem_acquire, 2, "full", "", 0);
  s.add(EventKind::queue_put, 3, "buffer", "1", 1).limit = 10;
  s.add(EventKind::queue_get, 2, "buffer", "1", 0).limit = 10;
  s.add(EventKind::print, 2, "", "hello");
  Event& k = s.add(EventKind::process_killed, 3, "", "user", 9);  // dies holding the lock
  (void)k;
  s.add(EventKind::process_exit, 2, "", "", 0);
  return s;
}

}  // namespace

TEST(TimelineModel, SpansFlowsCountersAndLives) {
  auto s = pipe_and_lock_story();
  auto m = build_timeline(s.evs);
  ASSERT_EQ(m.processes.size(), 3u);
  EXPECT_EQ(m.processes[2].name, "Consumer-2");
  EXPECT_TRUE(m.processes[2].killed);
  EXPECT_EQ(m.processes[2].killed_by, "user");
  EXPECT_EQ(m.processes[0].t_end, -1);  // main never ended in this story

  int waits_recv = 0, holds = 0, open_holds = 0;
  for (const auto& sp : m.spans) {
    if (sp.kind == SpanKind::WaitRecv) ++waits_recv;
    if (sp.kind == SpanKind::HoldLock) {
      ++holds;
      if (sp.open) {
        ++open_holds;
        EXPECT_EQ(sp.pid, 3) << "the dead process still holds the lock";
      }
    }
  }
  EXPECT_EQ(waits_recv, 1);
  EXPECT_EQ(holds, 2);
  EXPECT_EQ(open_holds, 1);

  std::map<FlowKind, int> flows;
  for (const auto& f : m.flows) ++flows[f.kind];
  EXPECT_EQ(flows[FlowKind::Pipe], 1);
  EXPECT_EQ(flows[FlowKind::Queue], 1);
  EXPECT_EQ(flows[FlowKind::Semaphore], 1);
  for (const auto& f : m.flows) {
    EXPECT_LT(f.t_from, f.t_to);
    EXPECT_NE(f.from_pid, f.to_pid);
  }
  ASSERT_EQ(m.semaphores["full"].size(), 2u);
  EXPECT_EQ(m.semaphores["full"][0].value, 1);
  EXPECT_EQ(m.queue_maxsize["buffer"], 10);
}

TEST(ChromeExport, TracksSlicesCountersAndFlows) {
  Recording rec;
  rec.header.scenario = "pipe";
  rec.events = pipe_and_lock_story().evs;
  auto j = nlohmann::json::parse(to_chrome_json(rec));
  ASSERT_TRUE(j.contains("traceEvents"));
  std::map<std::string, int> ph;
  std::set<std::string> process_names, counters;
  int s_ids = 0, f_ids = 0;
  for (const auto& e : j["traceEvents"]) {
    ++ph[e["ph"]];
    if (e["ph"] == "M" && e["name"] == "process_name") process_names.insert(e["args"]["name"]);
    if (e["ph"] == "C") counters.insert(e["name"]);
    if (e["ph"] == "s") s_ids += e["id"].get<int>();
    if (e["ph"] == "f") {
      f_ids += e["id"].get<int>();
      EXPECT_EQ(e["bp"], "e");
    }
    if (e["ph"] == "X") {
      EXPECT_GE(e["dur"].get<double>(), 0);
    }
  }
  EXPECT_TRUE(process_names.count("Producer-1 (pid 2)"));
  EXPECT_TRUE(counters.count("semaphore full"));
  EXPECT_TRUE(counters.count("queue buffer size"));
  EXPECT_EQ(ph["s"], 3);
  EXPECT_EQ(ph["f"], 3);
  EXPECT_EQ(s_ids, f_ids);
  EXPECT_EQ(ph["i"], 1);
  EXPECT_GT(ph["X"], 5);
}

// The streaming writer writes exactly what the nlohmann-tree version wrote.
TEST(ChromeExport, SameBytesAsReference) {
  Recording rec;
  rec.header.scenario = "pipe \"quoted\" 多";
  rec.header.method = "spawn";
  rec.header.started_unix_ms = 1700000000123;
  rec.events = pipe_and_lock_story().evs;
  Event pr = make_event(EventKind::print, rec.events.front().pid, rec.events.back().t_ns);
  pr.text = "line\nwith \"quotes\" \x01 and 多进程";
  rec.events.push_back(pr);
  EXPECT_EQ(to_chrome_json(rec), detail::to_chrome_json_reference(rec));
  rec.events.clear();
  EXPECT_EQ(to_chrome_json(rec), detail::to_chrome_json_reference(rec));
}
