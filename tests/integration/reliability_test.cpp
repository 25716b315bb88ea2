// Issue 7 "Reliability", end to end with real processes:
//  - garbage written into a LIVE run's event pipe is dropped, counted exactly
//    in run_end.dropped_frames, and loses none of the real events;
//  - SIGKILLing the engine while a stop is in progress leaves no process, no
//    zombie and no /dev/shm object, and the next run starts clean;
//  - the run's shared-memory descriptors (memfds) are mode 0600.
#include <algorithm>
#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cstring>
#include <fstream>
#include <map>
#include <random>
#include <sstream>
#include <thread>

#include "engine/wire/clock.hpp"
#include "engine/control/supervisor.hpp"
#include "engine/wire/wire_codec.hpp"
#include "leak_check.hpp"
#include "scenarios/registry.hpp"

using namespace mpviz;
using namespace mpviz::test;

namespace {

class Reliability : public LeakCheckedTest {};

std::string cmdline_of(int pid) {
  std::ifstream f("/proc/" + std::to_string(pid) + "/cmdline");
  return std::string((std::istreambuf_iterator<char>(f)), {});
}

// For a failure message: every process of a group, its state and where it
// sleeps in the kernel.
std::string group_table(int pgid) {
  std::string out = "group " + std::to_string(pgid) + ":";
  if (DIR* d = opendir("/proc")) {
    while (dirent* e = readdir(d)) {
      int pid = std::atoi(e->d_name);
      if (pid <= 0 || getpgid(pid) != pgid) continue;
      std::string cmd = cmdline_of(pid);
      std::replace(cmd.begin(), cmd.end(), '\0', ' ');
      std::ifstream stat("/proc/" + std::to_string(pid) + "/stat"), wchan("/proc/" + std::to_string(pid) + "/wchan");
      std::string st((std::istreambuf_iterator<char>(stat)), {}), wc((std::istreambuf_iterator<char>(wchan)), {});
      auto rp = st.rfind(')');
      out += "\n  " + std::to_string(pid) + " " + (rp != std::string::npos ? st.substr(rp + 2, 1) : "?") +
             " " + wc + " " + cmd.substr(0, 160);
    }
    closedir(d);
  }
  return out;
}

std::vector<std::string> argv_of(int pid) {
  std::vector<std::string> args;
  std::string cmd = cmdline_of(pid), arg;
  std::istringstream in(cmd);
  while (std::getline(in, arg, '\0')) args.push_back(arg);
  return args;
}

// A run's main process, exactly: `mpviz __main CONFIG` (a scenario) or
// `/usr/bin/python3 PROGRAM.py` (Python mode), leading its own group, with
// `marker` in its command line. Matching the marker alone is not enough: the
// janitor (`mpviz __janitor PGID`, its own group too) and main itself carry
// the ENGINE's command line, which names the program, between posix_spawn's
// vfork and exec; under load that window is wide enough to be seen.
int find_main(const std::string& marker, std::chrono::milliseconds limit) {
  int found = 0;
  eventually(
      [&] {
        if (DIR* d = opendir("/proc")) {
          while (dirent* e = readdir(d)) {
            int pid = std::atoi(e->d_name);
            if (pid <= 0 || getpgid(pid) != pid) continue;
            auto args = argv_of(pid);
            bool scenario_main = args.size() == 3 && args[1] == "__main";
            bool python_main = args.size() == 2 && args[0] == "/usr/bin/python3";
            if ((scenario_main || python_main) && cmdline_of(pid).find(marker) != std::string::npos)
              found = pid;
          }
          closedir(d);
        }
        return found > 0;
      },
      limit);
  return found;
}

std::string fd_target(int pid, int fd) {
  char buf[512] = {};
  std::string link = "/proc/" + std::to_string(pid) + "/fd/" + std::to_string(fd);
  ssize_t n = readlink(link.c_str(), buf, sizeof buf - 1);
  return n > 0 ? std::string(buf, static_cast<size_t>(n)) : std::string();
}

// Names under /dev/shm that a process has mapped (CPython's named semaphores).
std::set<std::string> shm_mapped_by(int pid) {
  std::set<std::string> names;
  std::ifstream f("/proc/" + std::to_string(pid) + "/maps");
  std::string line;
  while (std::getline(f, line)) {
    auto at = line.find("/dev/shm/");
    if (at == std::string::npos || line.find("(deleted)") != std::string::npos) continue;
    names.insert(line.substr(at + 9));
  }
  return names;
}

// One injected write: undecodable bytes followed by a good "separator" frame,
// all in ONE write() of at most PIPE_BUF bytes, so it lands between two of
// the children's frames. The decoder counts a run of undecodable bytes
// between good frames as one dropped frame, so each injection is exactly one.
// The separator (a print of the run's main process) also proves that the
// decoder resynchronised right after the garbage, losing nothing.
std::vector<uint8_t> injection(int i, int mainp, std::mt19937& rng) {
  auto byte = [&] {
    uint8_t b;
    do b = static_cast<uint8_t>(rng()); while (b == 'M');  // never a magic start
    return b;
  };
  Event real = make_event(EventKind::print, mainp, rt::now_ns());
  real.text = "a frame that is not what it says " + std::to_string(i);
  std::vector<uint8_t> frame = wire::encode_single(real);
  std::vector<uint8_t> bad;
  switch (i % 6) {
    case 0:  // random bytes
      for (size_t n = 1 + rng() % 1500; n > 0; --n) bad.push_back(byte());
      break;
    case 1:  // a whole frame whose checksum is wrong
      bad = frame;
      bad[8] ^= 0x5a;
      break;
    case 2:  // a torn frame: its header and the first half of its payload
      bad.assign(frame.begin(), frame.begin() + static_cast<long>(wire::kHeaderSize + (frame.size() - wire::kHeaderSize) / 2));
      break;
    case 3:  // a torn header: magic and version, then the writer died
      bad.assign(frame.begin(), frame.begin() + 6);
      break;
    case 4: {  // a checksummed frame whose payload is not an event (kind 0)
      std::vector<uint8_t> payload(frame.begin() + wire::kHeaderSize, frame.end());
      payload[wire::kCompactBaseBytes] = 0;  // the first event's kind
      bad = wire::make_frame(payload);
      break;
    }
    case 5:  // a header claiming more than a frame may hold, then garbage
      bad.assign(frame.begin(), frame.begin() + wire::kHeaderSize);
      bad[6] = 0xff;
      bad[7] = 0xff;
      for (int n = 0; n < 40; ++n) bad.push_back(byte());
      break;
  }
  Event sep = make_event(EventKind::print, mainp, rt::now_ns());
  sep.text = "injected " + std::to_string(i);
  auto good = wire::encode_single(sep);
  bad.insert(bad.end(), good.begin(), good.end());
  return bad;
}

}  // namespace

// The test is the garbage writer: it opens the live main process's event pipe
// (its fd 3) through /proc and writes 60 corrupted chunks of six kinds into
// the running lock scenario. The run must finish normally, every real event
// must be there, and run_end.dropped_frames must be exactly 60.
TEST_F(Reliability, GarbageWrittenIntoALiveRunsPipeIsDroppedAndCounted) {
  constexpr int kInjections = 60;
  RunResult r;
  // 3 children, 431..433 loops of 5 ms: about 2.5 s to write into.
  std::thread run([&] {
    r = run_recorded({"run", "lock", "--set", "processes=3", "--set", "first_loop=431", "--set",
                      "sleep=0.005"},
                     60);
  });
  struct Join {
    std::thread& t;
    ~Join() {
      if (t.joinable()) t.join();
    }
  } join{run};
  int mainp = find_main("\"431\"", std::chrono::seconds(10));
  ASSERT_GT(mainp, 0) << "the run's main process did not show up";
  ASSERT_EQ(fd_target(mainp, 3).rfind("pipe:", 0), 0u) << "fd 3 of main should be the event pipe";
  int fd = open(("/proc/" + std::to_string(mainp) + "/fd/3").c_str(), O_WRONLY | O_CLOEXEC);
  ASSERT_GE(fd, 0) << "cannot open the live run's event pipe: " << std::strerror(errno);
  std::mt19937 rng(7);
  int written = 0;
  for (int i = 0; i < kInjections; ++i) {
    auto chunk = injection(i, mainp, rng);
    ASSERT_LE(chunk.size(), wire::kMaxFrame) << "one write, never interleaved";
    // What the decoder makes of this chunk alone: the separator, one drop.
    wire::FrameDecoder check;
    std::vector<Event> evs;
    check.feed(chunk, evs);
    check.finish();
    ASSERT_EQ(evs.size(), 1u) << "chunk " << i;
    ASSERT_EQ(check.stats().dropped_frames, 1u) << "chunk " << i;
    ASSERT_EQ(write(fd, chunk.data(), chunk.size()), static_cast<ssize_t>(chunk.size()));
    ++written;
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  close(fd);
  ASSERT_TRUE(process_alive(mainp)) << "the run ended before all garbage was in: the test proves nothing";
  run.join();
  checked(r);

  EXPECT_EQ(r.cmd.exit_code, 0) << r.cmd.err;
  ASSERT_FALSE(r.rec.events.empty());
  const Event& end = r.rec.events.back();
  EXPECT_EQ(end.kind, EventKind::run_end);
  EXPECT_EQ(end.text, "finished");
  EXPECT_EQ(end.value, written) << "run_end.dropped_frames must count each corrupted chunk once";

  // Every separator arrived, in order: resynchronisation lost no good frame.
  std::vector<std::string> injected;
  for (const auto* p : of_kind(r.rec, EventKind::print))
    if (p->pid == mainp && p->text.rfind("injected ", 0) == 0) injected.push_back(p->text);
  ASSERT_EQ(injected.size(), static_cast<size_t>(written));
  for (int i = 0; i < written; ++i) EXPECT_EQ(injected[static_cast<size_t>(i)], "injected " + std::to_string(i));
  for (const auto* p : of_kind(r.rec, EventKind::print))
    EXPECT_EQ(p->text.find("not what it says"), std::string::npos) << "a corrupted frame was decoded";

  // And every real event of the run is there.
  auto kids = children_of(r.rec, mainp);
  ASSERT_EQ(kids.size(), 3u);
  size_t total = 0;
  for (const auto* k : kids) {
    const Event* e = end_of(r.rec, k->pid);
    ASSERT_NE(e, nullptr) << k->pid;
    EXPECT_EQ(e->kind, EventKind::process_exit);
    EXPECT_EQ(e->value, 0);
    std::vector<std::string> mine;
    for (const auto* p : of_kind(r.rec, EventKind::print))
      if (p->pid == k->pid) mine.push_back(p->text);
    total += mine.size();
    ASSERT_GE(mine.size(), 431u);
    for (size_t c = 0; c < mine.size(); ++c)
      EXPECT_EQ(mine[c], "Pid: " + std::to_string(k->pid) + " LoopCount: " + std::to_string(c));
  }
  EXPECT_EQ(total, 431u + 432u + 433u);
  EXPECT_EQ(of_kind(r.rec, EventKind::lock_acquire).size(), total);
  EXPECT_EQ(of_kind(r.rec, EventKind::lock_release).size(), total);
  const Event* main_end = end_of(r.rec, mainp);
  ASSERT_NE(main_end, nullptr);
  EXPECT_EQ(main_end->kind, EventKind::process_exit);
}

namespace {

// Signals blocked/ignored by a process, from /proc/PID/status.
bool ignores_sigterm(int pid) {
  std::ifstream f("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(f, line))
    if (line.rfind("SigIgn:", 0) == 0)
      return (std::stoull(line.substr(7), nullptr, 16) >> (SIGTERM - 1)) & 1;
  return false;
}

// mpviz run PROGRAM.py --method spawn in the background; stdin/stdout /dev/null.
pid_t start_mpviz(const std::vector<std::string>& args) {
  pid_t pid = fork();
  if (pid == 0) {
    int devnull = open("/dev/null", O_RDWR);
    dup2(devnull, 0);
    dup2(devnull, 1);
    std::vector<std::string> a = {"mpviz"};
    a.insert(a.end(), args.begin(), args.end());
    std::vector<char*> argv;
    for (auto& s : a) argv.push_back(s.data());
    argv.push_back(nullptr);
    execv(mpviz_exe().c_str(), argv.data());
    _exit(127);
  }
  return pid;
}

}  // namespace

// The stop ladder is SIGTERM, 300 ms of grace, SIGKILL. Here three children
// ignore SIGTERM (so the grace is really spent) and hold a CPython Lock: under
// spawn that is a NAMED semaphore in /dev/shm, which only CPython's resource
// tracker would unlink - and the tracker is a process of the run too. mpviz
// is asked to stop (SIGTERM, as from `kill` or Ctrl-C) and SIGKILLed in the
// middle of the grace, at two different points. Within 2 s nothing of the
// run may be left: no process, no zombie, no /dev/shm name; and the next run
// starts and finishes clean beside what is left of the previous one (nothing).
TEST_F(Reliability, KillingTheEngineDuringAStopLeavesNothing) {
  std::string file = "stop_kill_" + std::to_string(getpid()) + ".py";
  std::string path = ::testing::TempDir() + file;
  std::ofstream(path) << "import signal, time\n"
                         "import multiprocessing as mp\n"
                         "def stubborn(lock):\n"
                         "    signal.signal(signal.SIGTERM, signal.SIG_IGN)\n"
                         "    with lock:\n"
                         "        print('holding the lock once')\n"
                         "    time.sleep(60)\n"
                         "if __name__ == '__main__':\n"
                         "    lock = mp.Lock()\n"
                         "    ps = [mp.Process(target=stubborn, args=(lock,)) for _ in range(3)]\n"
                         "    for p in ps:\n"
                         "        p.start()\n"
                         "    for p in ps:\n"
                         "        p.join()\n";
  // Orphans of a dead engine go to the nearest subreaper: here this test
  // process, standing in for init (which reaps them late on some machines,
  // e.g. 1.2 s on this one's). Undone at the end.
  int was_subreaper = 0;
  prctl(PR_GET_CHILD_SUBREAPER, &was_subreaper);
  prctl(PR_SET_CHILD_SUBREAPER, 1);
  struct Restore {
    int was;
    ~Restore() {
      if (!was) prctl(PR_SET_CHILD_SUBREAPER, 0);
    }
  } restore{was_subreaper};
  std::set<std::string> names_seen;
  // -1: no SIGKILL, the ladder runs to its end (its SIGKILL then takes the
  // resource tracker too: the engine must unlink the names itself).
  for (int delay_ms : {0, 120, -1}) {
    SCOPED_TRACE(delay_ms < 0 ? std::string("stop ladder to its end")
                              : "SIGKILL " + std::to_string(delay_ms) + " ms into the stop");
    std::string rec = ::testing::TempDir() + "/stop_kill.jsonl";
    pid_t mpviz = start_mpviz({"run", path, "--method", "spawn", "--quiet", "--jsonl", rec});
    ASSERT_GT(mpviz, 0);
    struct KillOnExit {
      pid_t pid;
      ~KillOnExit() {
        if (pid > 0 && kill(pid, SIGKILL) == 0) waitpid(pid, nullptr, 0);
      }
    } guard{mpviz};
    int mainp = find_main(file, std::chrono::seconds(10));
    ASSERT_GT(mainp, 0);
    // All three children started and ignore SIGTERM.
    std::vector<int> stubborn;
    ASSERT_TRUE(eventually(
        [&] {
          stubborn.clear();
          for (int pid : live_processes_in_group(mainp))
            if (cmdline_of(pid).find("spawn_main") != std::string::npos && ignores_sigterm(pid))
              stubborn.push_back(pid);
          return stubborn.size() == 3;
        },
        std::chrono::seconds(20)))
        << stubborn.size() << " of 3 children are up; " << group_table(mainp);
    // The Lock's named semaphore, as the processes of the run map it.
    std::set<std::string> names;
    for (int pid : live_processes_in_group(mainp))
      for (const auto& n : shm_mapped_by(pid)) names.insert(n);
    ASSERT_FALSE(names.empty()) << "under spawn the Lock should be a named semaphore in /dev/shm";
    for (const auto& n : names) {
      struct stat st {};
      ASSERT_EQ(stat(("/dev/shm/" + n).c_str(), &st), 0) << n;
      EXPECT_EQ(st.st_mode & 0777, 0600u) << "/dev/shm/" << n;
      names_seen.insert(n);
    }
    int tracked = static_cast<int>(live_processes_in_group(mainp).size());
    int janitor = 0;
    if (DIR* d = opendir("/proc")) {
      while (dirent* e = readdir(d))
        if (cmdline_of(std::atoi(e->d_name)) == std::string("mpviz\0__janitor\0", 16) + std::to_string(mainp) + '\0')
          janitor = std::atoi(e->d_name);
      closedir(d);
    }
    ASSERT_GT(janitor, 0) << "the run's janitor";

    // Stop, as a user would, and wait until the SIGTERM has gone out
    // (main does not ignore it).
    ASSERT_EQ(kill(mpviz, SIGTERM), 0);
    ASSERT_TRUE(eventually([&] { return !process_alive(mainp); }, std::chrono::seconds(2)))
        << "mpviz did not start the stop";
    int st = 0;
    if (delay_ms >= 0) {
      std::this_thread::sleep_for(std::chrono::milliseconds(delay_ms));
      // The ladder is in its grace: the stubborn children still live.
      for (int pid : stubborn) ASSERT_TRUE(process_alive(pid)) << "too late: the stop is over";
      ASSERT_EQ(kill(mpviz, SIGKILL), 0);
      ASSERT_EQ(waitpid(mpviz, &st, 0), mpviz);
      guard.pid = -1;
      ASSERT_TRUE(WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL);
    } else {
      ASSERT_EQ(waitpid(mpviz, &st, 0), mpviz);
      guard.pid = -1;
      ASSERT_TRUE(WIFEXITED(st) && WEXITSTATUS(st) == 0) << "a stopped run exits 0";
      auto loaded = load_jsonl_file(rec);
      ASSERT_TRUE(loaded.recording) << loaded.error;
      EXPECT_EQ(loaded.recording->events.back().text, "stopped");
      int sigkilled = 0;
      for (const auto* k : of_kind(*loaded.recording, EventKind::process_killed))
        sigkilled += k->value == SIGKILL && k->text == "stop";
      EXPECT_GE(sigkilled, 3) << "the stubborn children were SIGKILLed by the ladder";
    }

    auto t0 = std::chrono::steady_clock::now();
    auto ms_since = [&] {
      return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
    };
    double no_live = -1, no_name = -1;
    bool clean = eventually(
        [&] {
          if (no_live < 0 && live_processes_in_group(mainp).empty()) no_live = ms_since();
          bool names_left = false;
          for (const auto& n : names) names_left |= access(("/dev/shm/" + n).c_str(), F_OK) == 0;
          if (no_name < 0 && !names_left) no_name = ms_since();
          // The orphans' reaper (us, standing in for init) does its job.
          while (waitpid(-1, nullptr, WNOHANG) > 0) {
          }
          return no_live >= 0 && no_name >= 0 && processes_in_group(mainp).empty() &&
                 access(("/proc/" + std::to_string(janitor)).c_str(), F_OK) != 0;
        },
        std::chrono::seconds(2));
    EXPECT_TRUE(clean) << "2 s after the engine was SIGKILLed: "
                       << live_processes_in_group(mainp).size() << " of " << tracked
                       << " processes alive, " << processes_in_group(mainp).size()
                       << " with zombies";
    double took = ms_since();
    for (const auto& n : names)
      EXPECT_NE(access(("/dev/shm/" + n).c_str(), F_OK), 0) << "/dev/shm/" << n << " left behind";
    EXPECT_EQ(zombie_children(), 0);
    std::printf("[ stop+SIGKILL ] %d ms into the stop (-1: none): no live process after %.0f ms, no name "
                "after %.0f ms, nothing at all after %.0f ms\n",
                delay_ms, no_live, no_name, took);
    std::remove(rec.c_str());
  }

  // The next start: a full run beside what the killed ones left (nothing).
  auto before = shm_entries();
  auto next = checked(run_recorded({"run", "lock", "--method", "spawn", "--speed", "0"}, 30));
  EXPECT_EQ(next.cmd.exit_code, 0) << next.cmd.err;
  EXPECT_EQ(next.rec.events.back().text, "finished");
  for (const auto& n : names_seen) EXPECT_EQ(before.count(n), 0u) << n;
  std::remove(path.c_str());
}

namespace {
// Every memfd and pipe a process holds, with its mode (stat through /proc).
std::map<std::string, unsigned> ipc_modes(int pid) {
  std::map<std::string, unsigned> modes;
  std::string dir = "/proc/" + std::to_string(pid) + "/fd";
  if (DIR* d = opendir(dir.c_str())) {
    while (dirent* e = readdir(d)) {
      if (e->d_name[0] == '.') continue;
      std::string target = fd_target(pid, std::atoi(e->d_name));
      if (target.rfind("/memfd:", 0) != 0 && target.rfind("pipe:", 0) != 0) continue;
      struct stat st {};
      if (stat((dir + "/" + e->d_name).c_str(), &st) == 0)
        modes[std::string(e->d_name) + " -> " + target] = st.st_mode & 07777;
    }
    closedir(d);
  }
  return modes;
}
}  // namespace

// IPC objects are 0600: the arena and the gate table are memfds, which the
// kernel creates with mode 0777; through /proc/PID/fd/N they can be opened
// by path, so they must say "owner only" like everything else.
TEST_F(Reliability, SharedMemoryAndPipesAreOwnerOnly) {
  for (auto method : {rt::StartMethod::Fork, rt::StartMethod::Spawn}) {
    SCOPED_TRACE(rt::method_name(method));
    EventLog log;
    Supervisor sup(log);
    const std::vector<int> pids = start_two_child_lock_run(sup, log, method);
    ASSERT_EQ(pids.size(), 3u);
    for (int pid : pids) {
      auto modes = ipc_modes(pid);
      int memfds = 0;
      for (const auto& [what, mode] : modes) {
        EXPECT_EQ(mode, 0600u) << "pid " << pid << " fd " << what;
        memfds += what.find("/memfd:mpviz-") != std::string::npos;
      }
      EXPECT_EQ(memfds, 2) << "pid " << pid << ": the arena and the gate table";
    }
    sup.stop();
    RunResult rr;
    rr.rec.events = log.snapshot();
    checked(rr);
  }
}
