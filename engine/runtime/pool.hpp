// multiprocessing.Pool: n worker processes started up front and reused, fed
// through a shared task queue, answering through a result queue. A task names
// its function by its registered name (ScenarioDef::pool_funcs), as pickle
// names functions, so it works under fork and spawn alike.
#pragma once
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "engine/scenario/args.hpp"
#include "engine/runtime/process.hpp"
#include "engine/runtime/queue.hpp"

namespace mpviz::rt {

class Pool;

class AsyncResult {
 public:
  std::string get();  // waits for the task's result
  bool ready();
  int64_t task() const { return task_; }

 private:
  friend class Pool;
  AsyncResult(Pool* pool, int64_t task) : pool_(pool), task_(task) {}
  Pool* pool_;
  int64_t task_;
};

class Pool {
 public:
  explicit Pool(int processes);
  Pool(const Pool&) = delete;
  Pool& operator=(const Pool&) = delete;

  AsyncResult apply_async(const std::string& func, const Args& args);
  // Results in input order, whatever order the workers finish in.
  std::vector<std::string> map(const std::string& func, const std::vector<Args>& items);
  void close();      // no more tasks; workers exit when the queue is drained
  void join();       // after close(): wait for the workers to exit
  void terminate();  // stop the workers now
  std::vector<pid_t> worker_pids() const;

  // The worker's loop (the registered entry "__pool_worker").
  static void worker_main(const Args& args);
  static constexpr const char* kWorkerEntry = "__pool_worker";

 private:
  friend class AsyncResult;
  bool collect_one(std::optional<double> timeout);
  bool drain_results();  // without blocking; true if any result came
  void put_task(const std::string& item);  // never deadlocks on full queues
  Queue tasks_, results_;
  std::vector<std::unique_ptr<Process>> workers_;
  std::map<int64_t, std::string> done_;
  int64_t next_task_ = 0;
  bool closed_ = false;
};

// Runs a registered pool function of the current scenario.
std::string run_pool_func(const std::string& func, const Args& args);

}  // namespace mpviz::rt
