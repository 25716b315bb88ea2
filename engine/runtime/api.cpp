#include "engine/runtime/api.hpp"

#include <stdexcept>
#include <unistd.h>

#include "engine/wire/clock.hpp"
#include "engine/runtime/gate.hpp"
#include "engine/runtime/pool.hpp"
#include "engine/runtime/process_runtime.hpp"
#include "engine/scenario/scenario.hpp"

namespace mpviz::rt {

void sleep(double seconds) {
  auto& rt = ProcessRuntime::current();
  // In step mode a sleep is one step and takes no wall time.
  bool stepped = pass_gate(EventKind::sleep_begin);
  Event b = rt.event(EventKind::sleep_begin);
  b.seconds = seconds;
  rt.emit(std::move(b));
  int64_t ns = stepped ? 0 : rt.scaled_ns(seconds);
  if (ns > 0) {
    rt.flush();
    sleep_wall_ns(ns);
  }
  Event e = rt.event(EventKind::sleep_end);
  e.seconds = seconds;
  rt.emit(std::move(e));
}

void print(const std::string& text) {
  auto& rt = ProcessRuntime::current();
  pass_gate(EventKind::print);
  Event e = rt.event(EventKind::print);
  e.text = text;
  rt.emit(std::move(e));
}

pid_t getpid() { return ProcessRuntime::current().pid(); }

const ParamValues& params() { return ProcessRuntime::current().config().params; }

void run_entry(const std::string& entry, const Args& args) {
  if (entry == Pool::kWorkerEntry) return Pool::worker_main(args);
  const ScenarioDef* def = ProcessRuntime::current().scenario();
  if (def)
    for (const auto& e : def->entries)
      if (e.name == entry) return e.fn(args);
  throw std::runtime_error("no entry point named '" + entry + "' in this scenario");
}

}  // namespace mpviz::rt
