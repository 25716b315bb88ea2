#include "engine/runtime/pool.hpp"

#include <nlohmann/json.hpp>
#include <stdexcept>

#include "engine/wire/clock.hpp"
#include "engine/runtime/gate.hpp"
#include "engine/runtime/process_runtime.hpp"
#include "engine/scenario/scenario.hpp"

namespace mpviz::rt {
namespace {
constexpr const char* kStop = "__STOP__";
}

std::string run_pool_func(const std::string& func, const Args& args) {
  const ScenarioDef* def = ProcessRuntime::current().scenario();
  if (def)
    for (const auto& f : def->pool_funcs)
      if (f.name == func) return f.fn(args);
  throw std::runtime_error("no pool function named '" + func + "' in this scenario");
}

Pool::Pool(int processes)
    : tasks_(0, "pool.tasks", /*traced=*/false), results_(0, "pool.results", /*traced=*/false) {
  if (processes < 1) throw std::invalid_argument("Number of processes must be at least 1");
  auto& rt = ProcessRuntime::current();
  std::string type = rt.config().method == StartMethod::Spawn ? "SpawnPoolWorker" : "ForkPoolWorker";
  for (int i = 0; i < processes; ++i) {
    auto w = std::make_unique<Process>(kWorkerEntry, Args{Value(tasks_.handle()), Value(results_.handle())},
                                       type);
    w->daemon = true;  // as in CPython: workers die with their pool's owner
    w->start();
    workers_.push_back(std::move(w));
  }
}

AsyncResult Pool::apply_async(const std::string& func, const Args& args) {
  if (closed_) throw std::logic_error("Pool not running");
  pass_gate(EventKind::pool_submit, func);
  int64_t id = next_task_++;
  auto& rt = ProcessRuntime::current();
  Event e = rt.event(EventKind::pool_submit);
  e.other = static_cast<int32_t>(id);
  e.name = func;
  rt.emit(std::move(e));
  nlohmann::json t = {{"task", id}, {"func", func}, {"args", nlohmann::json::parse(args.to_json())}};
  // CPython's task queue is unbounded; ours holds kUnboundedSlots. When it is
  // full, collect finished results while waiting, or the workers (blocked on
  // a full result queue) and we (blocked on a full task queue) would wait
  // for each other forever.
  put_task(t.dump());
  return AsyncResult(this, id);
}

std::vector<std::string> Pool::map(const std::string& func, const std::vector<Args>& items) {
  std::vector<AsyncResult> rs;
  for (const auto& a : items) rs.push_back(apply_async(func, a));
  std::vector<std::string> out;
  for (auto& r : rs) out.push_back(r.get());
  return out;
}

void Pool::put_task(const std::string& item) {
  for (;;) {
    try {
      tasks_.put(item, /*block=*/false);
      return;
    } catch (const Full&) {
      if (!drain_results()) sleep_wall_ns(100'000);
    }
  }
}

bool Pool::drain_results() {
  bool any = false;
  while (results_.qsize() > 0) any |= collect_one(0.0);
  return any;
}

bool Pool::collect_one(std::optional<double> timeout) {
  try {
    auto j = nlohmann::json::parse(results_.get(true, timeout));
    done_[j.at("task").get<int64_t>()] = j.at("result").get<std::string>();
    return true;
  } catch (const Empty&) {
    return false;
  }
}

std::string AsyncResult::get() {
  while (!pool_->done_.count(task_)) pool_->collect_one(std::nullopt);
  return pool_->done_[task_];
}

bool AsyncResult::ready() {
  while (!pool_->done_.count(task_) && pool_->results_.qsize() > 0) pool_->collect_one(0.0);
  return pool_->done_.count(task_) > 0;
}

void Pool::close() {
  if (closed_) return;
  closed_ = true;
  for (size_t i = 0; i < workers_.size(); ++i) put_task(kStop);
}

void Pool::join() {
  if (!closed_) throw std::logic_error("Pool is still running (call close() first)");
  // Keep collecting results while waiting: CPython's result handler thread
  // does the same, so workers never block on a full result queue.
  auto& rt = ProcessRuntime::current();
  for (auto& w : workers_) {
    Event b = rt.event(EventKind::join_begin);
    b.other = w->pid();
    rt.emit(std::move(b));
    while (!rt.wait_child(w->pid(), 10'000'000)) drain_results();
    Event e = rt.event(EventKind::join_end);
    e.other = w->pid();
    rt.emit(std::move(e));
  }
}

void Pool::terminate() {
  closed_ = true;
  for (auto& w : workers_) w->terminate();
  for (auto& w : workers_) w->join();
}

std::vector<pid_t> Pool::worker_pids() const {
  std::vector<pid_t> v;
  for (const auto& w : workers_) v.push_back(w->pid());
  return v;
}

void Pool::worker_main(const Args& args) {
  Queue tasks(args.h(0)), results(args.h(1));
  auto& rt = ProcessRuntime::current();
  for (;;) {
    std::string t = tasks.get();
    if (t == kStop) break;
    auto j = nlohmann::json::parse(t);
    int64_t id = j.at("task").get<int64_t>();
    std::string func = j.at("func").get<std::string>();
    auto a = Args::from_json(j.at("args").dump());
    pass_gate(EventKind::pool_task_begin, func);
    Event b = rt.event(EventKind::pool_task_begin);
    b.other = static_cast<int32_t>(id);
    b.name = func;
    rt.emit(std::move(b));
    std::string result;
    try {
      result = run_pool_func(func, a.value_or(Args{}));
    } catch (const std::exception& ex) {
      result = std::string("error: ") + ex.what();
    }
    if (result.size() > 900) result.resize(900);
    Event e = rt.event(EventKind::pool_task_end);
    e.other = static_cast<int32_t>(id);
    e.name = func;
    e.text = result;
    rt.emit(std::move(e));
    results.put(nlohmann::json{{"task", id}, {"result", result}}.dump());
  }
}

}  // namespace mpviz::rt
