// Shared state as first-class objects (Python mode and the C++ `race`
// scenario): every read and write of a Value is an event, a write that
// overwrote another process's update says lost: true, and the recording's
// final value is what the program printed. And object identity: one object,
// one name, in every process, under fork and spawn.
#include <algorithm>
#include <cstdio>
#include <fstream>
#include <map>
#include <regex>
#include <set>

#include "engine/model/timeline_model.hpp"
#include "leak_check.hpp"

using namespace mpviz;
using namespace mpviz::test;

namespace {

std::string program(const std::string& file) {
  return std::string(MPVIZ_ASSETS_DIR) + "/../tests/python/programs/" + file;
}

// The program's stdout under plain /usr/bin/python3 (no mpviz).
std::string run_plain(const std::string& path) {
  std::string out;
  FILE* f = popen(("/usr/bin/python3 " + path + " 2>&1").c_str(), "r");
  if (!f) return out;
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, f)) > 0) out.append(buf, n);
  pclose(f);
  return out;
}

// The console output of a recording as plain text: one line per print (a
// print's text may or may not carry its end, depending on the contract's
// version of `print`).
std::string console(const Recording& r) {
  std::string out;
  for (const auto* p : of_kind(r, EventKind::print)) {
    out += p->text;
    if (out.empty() || out.back() != '\n') out += '\n';
  }
  return out;
}

std::string race_program(int n, int k, bool lock) {
  std::string path = ::testing::TempDir() + "/race_" + std::to_string(n) + "_" + std::to_string(k) +
                     (lock ? "_lock" : "") + ".py";
  std::ofstream(path) << "from multiprocessing import Process, Value\n"
                         "def work(counter, k):\n"
                         "    for _ in range(k):\n"
                      << (lock ? "        with counter.get_lock():\n"
                                 "            counter.value += 1\n"
                               : "        counter.value += 1\n")
                      << "if __name__ == '__main__':\n"
                         "    counter = Value('i', 0)\n"
                         "    ps = [Process(target=work, args=(counter, "
                      << k << ")) for _ in range(" << n
                      << ")]\n"
                         "    for p in ps:\n"
                         "        p.start()\n"
                         "    for p in ps:\n"
                         "        p.join()\n"
                         "    print('final', counter.value)\n";
  return path;
}

struct RaceFacts {
  int64_t printed = -1;      // what the program printed
  int64_t last_write = -1;   // the value of the last value_write in time order
  int writes = 0, lost = 0;
  std::set<std::string> objects;  // every obj of value_* and lock_* events
};

RaceFacts facts(const Recording& r, const std::string& print_prefix) {
  RaceFacts f;
  for (const auto& e : r.events) {
    if (e.kind == EventKind::value_write) {
      ++f.writes;
      f.lost += (e.flags & kFlagLost) != 0;
      f.last_write = e.value;
    }
    if (e.kind == EventKind::value_read || e.kind == EventKind::value_write ||
        e.kind == EventKind::lock_acquire)
      f.objects.insert(e.name);
    if (e.kind == EventKind::print && e.text.rfind(print_prefix, 0) == 0)
      f.printed = std::stoll(e.text.substr(print_prefix.size()));
  }
  return f;
}

class PythonValues : public LeakCheckedTest, public ::testing::WithParamInterface<std::string> {};

}  // namespace

// Without the lock: 4 x 3000 increments. Each lost update is a write marked
// lost; when no write is marked lost the count is exact (and the other way
// round); the recording's last write is what the program printed.
TEST_P(PythonValues, LostUpdatesAreMarkedAndTheFinalValueIsThePrintedOne) {
  const std::string method = GetParam();
  const int n = 4, k = 3000;
  const std::string path = race_program(n, k, false);
  const std::string plain = run_plain(path);
  ASSERT_TRUE(std::regex_match(plain, std::regex("final [0-9]+\n"))) << plain;
  auto r = checked(run_recorded({"run", path, "--method", method}, 120));
  ASSERT_EQ(r.cmd.exit_code, 0) << r.cmd.err;
  RaceFacts f = facts(r.rec, "final ");
  ASSERT_GE(f.printed, 1);
  EXPECT_LE(f.printed, n * k);
  EXPECT_EQ(f.writes, n * k) << "every += 1 is one value_write";
  EXPECT_EQ(f.last_write, f.printed);
  EXPECT_EQ(f.printed < n * k, f.lost > 0) << "printed " << f.printed << ", lost writes " << f.lost;
  // One object, named as the program names it; its lock is never shown.
  EXPECT_EQ(f.objects, std::set<std::string>{"counter"});
  int reads = 0;
  for (const auto* e : of_kind(r.rec, EventKind::value_read)) reads += e->name == "counter";
  EXPECT_EQ(reads, n * k + 1) << "each += 1 reads once, and main's print reads once";
}

// With `with counter.get_lock():` the count is exact and no write is lost;
// the lock is shown as the Value's own, `counter.lock`.
TEST_P(PythonValues, WithTheLockNothingIsLost) {
  const std::string method = GetParam();
  const int n = 3, k = 400;
  const std::string path = race_program(n, k, true);
  EXPECT_EQ(run_plain(path), "final 1200\n");
  auto r = checked(run_recorded({"run", path, "--method", method}, 120));
  ASSERT_EQ(r.cmd.exit_code, 0) << r.cmd.err;
  RaceFacts f = facts(r.rec, "final ");
  EXPECT_EQ(f.printed, n * k);
  EXPECT_EQ(f.last_write, n * k);
  EXPECT_EQ(f.writes, n * k);
  EXPECT_EQ(f.lost, 0);
  EXPECT_EQ(f.objects, (std::set<std::string>{"counter", "counter.lock"}));
}

// Identity: one queue passed to two children has one name in every process;
// two pipes have two names; a one-way pipe's write end is end 1; an Array
// element is written with its index; a Condition created after a Queue was
// garbage-collected does not get the Queue's name.
TEST_P(PythonValues, EveryObjectHasOneNameInEveryProcess) {
  const std::string method = GetParam();
  const std::string path = program("identity.py");
  const std::string plain = run_plain(path);
  auto r = checked(run_recorded({"run", path, "--method", method}, 60));
  ASSERT_EQ(r.cmd.exit_code, 0) << r.cmd.err;
  EXPECT_EQ(console(r.rec), plain);
  const int mainp = main_pid(r.rec);
  std::map<std::string, std::set<std::string>> names;  // kind family -> names
  std::map<std::string, std::set<int64_t>> send_ends;  // pipe -> ends that sent
  std::set<int> queue_putters;
  for (const auto& e : r.rec.events) {
    switch (e.kind) {
      case EventKind::queue_put:
        names["queue"].insert(e.name);
        if (e.name == "q") queue_putters.insert(e.pid);
        break;
      case EventKind::pipe_send:
        names["pipe"].insert(e.name);
        send_ends[e.name].insert(e.other);
        break;
      case EventKind::lock_acquire: names["lock"].insert(e.name); break;
      case EventKind::value_write:
        names["value"].insert(value_key(e));
        break;
      default: break;
    }
  }
  EXPECT_EQ(names["queue"], (std::set<std::string>{"q", "tmp"}));
  EXPECT_EQ(queue_putters.size(), 2u) << "both children put on the same `q`";
  EXPECT_FALSE(queue_putters.count(mainp));
  EXPECT_EQ(names["pipe"], (std::set<std::string>{"a_parent/a_child", "b_parent/b_child", "r/w"}));
  EXPECT_EQ(send_ends["r/w"], std::set<int64_t>{1}) << "Pipe(duplex=False): the write end is end 1";
  EXPECT_EQ(names["value"], (std::set<std::string>{"arr[0]", "arr[1]"}));
  ASSERT_EQ(names["lock"].size(), 1u);
  EXPECT_NE(*names["lock"].begin(), "tmp");
  EXPECT_EQ(names["lock"].begin()->rfind("condition", 0), 0u) << *names["lock"].begin();
}

INSTANTIATE_TEST_SUITE_P(Methods, PythonValues, ::testing::Values("fork", "spawn"));

// The C++ `race` scenario: the same events as Python mode.
class RaceScenario : public LeakCheckedTest {};

TEST_F(RaceScenario, WithoutTheLockUpdatesAreLostAndMarked) {
  auto r = checked(run_recorded({"run", "race"}, 120));
  ASSERT_EQ(r.cmd.exit_code, 0) << r.cmd.err;
  RaceFacts f = facts(r.rec, "counter.value = ");
  EXPECT_EQ(f.writes, 4 * 1000);
  EXPECT_EQ(f.last_write, f.printed);
  EXPECT_LT(f.printed, 4 * 1000) << "at default speed on this machine, updates are lost";
  EXPECT_GT(f.lost, 0);
  EXPECT_EQ(f.objects, std::set<std::string>{"counter"});
}

TEST_F(RaceScenario, WithTheLockTheCountIsAlwaysExact) {
  for (int i = 0; i < 2; ++i) {
    auto r = checked(run_recorded({"run", "race", "--set", "use_lock=true", "--set", "processes=3",
                                   "--set", "increments=300"},
                                  120));
    ASSERT_EQ(r.cmd.exit_code, 0) << r.cmd.err;
    RaceFacts f = facts(r.rec, "counter.value = ");
    EXPECT_EQ(f.printed, 900);
    EXPECT_EQ(f.last_write, 900);
    EXPECT_EQ(f.lost, 0);
    EXPECT_EQ(f.objects, (std::set<std::string>{"counter", "counter.lock"}));
  }
}

// RawValue, RawArray and Value(lock=False) are ctypes objects still (the
// program sees the same types and output), traced by their names.
TEST_P(PythonValues, RawValuesAreTracedToo) {
  const std::string method = GetParam();
  const std::string path = program("raw_values.py");
  const std::string plain = run_plain(path);
  auto r = checked(run_recorded({"run", path, "--method", method}, 60));
  ASSERT_EQ(r.cmd.exit_code, 0) << r.cmd.err;
  EXPECT_EQ(console(r.rec), plain);
  std::map<std::string, int> writes;
  for (const auto* e : of_kind(r.rec, EventKind::value_write)) ++writes[value_key(*e)];
  EXPECT_EQ(writes["c"], 600);
  EXPECT_EQ(writes["a[1]"], 2);
  EXPECT_EQ(writes["v"], 2);
  bool real = false;
  for (const auto* e : of_kind(r.rec, EventKind::value_write))
    if (e->name == "v") real = (e->flags & kFlagValueReal) && (e->seconds == 1.5 || e->seconds == 2.0);
  EXPECT_TRUE(real) << "a c_double is written as a number";
}
