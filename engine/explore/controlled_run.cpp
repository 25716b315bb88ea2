#include "engine/explore/controlled_run.hpp"

#include <chrono>
#include <thread>

#include "engine/recording/recording.hpp"

namespace mpviz::explore {

ControlledRunResult controlled_run(RunRequest req, Strategy* strategy, const DriveLimits& lim) {
  ControlledRunResult res;
  req.start_held = strategy != nullptr;
  EventLog log;
  Supervisor sup(log);
  if (auto ec = sup.start(req)) {
    res.status = "error";
    res.error = ec.message();
    return res;
  }
  // A free run is driven by nobody: a strategy that never has to choose
  // (nothing is ever held) still watches for the deadlock.
  auto idle = random_strategy(0);
  StepDriver driver(strategy ? *strategy : *idle, lim);
  size_t seen = 0;
  std::vector<Event> fresh;
  std::string verdict;
  while (verdict.empty()) {
    if (sup.done()) break;
    std::this_thread::sleep_for(std::chrono::microseconds(250));
    fresh.clear();
    seen = log.copy_since(seen, fresh);
    driver.on_events(fresh);
    auto d = driver.tick(sup.steps().pending());  // always empty in a free run
    verdict = d.verdict;
    if (d.grant && sup.steps().step_pid(d.grant)) driver.granted(d.grant);
  }
  if (!verdict.empty()) {
    if (verdict == "deadlock") res.deadlocked = driver.blocked();
    sup.stop();
  }
  sup.wait(std::chrono::seconds(10));
  res.steps = driver.steps();
  res.off_path = strategy && driver.off_path();
  res.events = log.snapshot();
  normalize_recording(res.events, sup.stop_time());
  res.status = !verdict.empty() ? verdict : sup.status() == RunStatus::Failed ? "failed" : "finished";
  return res;
}

}  // namespace mpviz::explore
