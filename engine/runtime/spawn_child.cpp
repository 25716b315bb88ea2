#include "engine/runtime/spawn_child.hpp"

#include <cstdio>
#include <algorithm>
#include <cstring>
#include <exception>
#include <fcntl.h>
#include <nlohmann/json.hpp>
#include <sys/prctl.h>
#include <unistd.h>

#include "engine/runtime/api.hpp"

namespace mpviz::rt {

std::vector<std::string> spawn_argv(const SpawnRequest& req) {
  nlohmann::json child = {{"name", req.name},
                          {"identity", req.identity},
                          {"entry", req.entry},
                          {"daemon", req.daemon},
                          {"args", nlohmann::json::parse(req.args.to_json())}};
  return {"mpviz", kChildArg, req.config.to_json(), child.dump()};
}

void reset_child_signals(const sigset_t& mask) {
  struct sigaction sa {};
  sa.sa_handler = SIG_DFL;
  sigemptyset(&sa.sa_mask);
  for (int s = 1; s < NSIG; ++s) {
    if (s == SIGKILL || s == SIGSTOP) continue;
    if (s == SIGPIPE) continue;  // stays ignored: a gone reader must not kill a child
    sigaction(s, &sa, nullptr);
  }
  sigprocmask(SIG_SETMASK, &mask, nullptr);
}

int run_child_body(const std::function<void()>& body) {
  try {
    body();
    return 0;
  } catch (const std::exception& e) {
    auto& rt = ProcessRuntime::current();
    std::string msg = "Process " + rt.name() + ": Traceback: " + e.what();
    std::fprintf(stderr, "%s\n", msg.c_str());
    print(msg);
    return 1;
  }
}

bool is_scenario_process(int argc, char** argv) {
  return argc >= 3 && (std::strcmp(argv[1], kMainArg) == 0 || std::strcmp(argv[1], kChildArg) == 0);
}

namespace {

[[noreturn]] void fail(const std::string& msg) {
  std::fprintf(stderr, "mpviz: %s\n", msg.c_str());
  _exit(2);
}

const ScenarioDef& scenario_from_config(const std::string& json, const ScenarioList& list,
                                        RunConfig& cfg) {
  auto j = nlohmann::json::parse(json, nullptr, false);
  std::string name = j.is_object() && j.contains("scenario") && j["scenario"].is_string()
                         ? j["scenario"].get<std::string>()
                         : "";
  const ScenarioDef* def = find_scenario(list, name);
  if (!def) fail("unknown scenario '" + name + "' in run configuration");
  std::string err;
  auto c = RunConfig::from_json(json, def->info.params, err);
  if (!c) fail(err);
  cfg = std::move(*c);
  return *def;
}

void set_cloexec(int fd) {
  int fl = fcntl(fd, F_GETFD);
  if (fl >= 0) fcntl(fd, F_SETFD, fl | FD_CLOEXEC);
}

}  // namespace

void scenario_process_main(int argc, char** argv, const ScenarioList& list) {
  signal(SIGPIPE, SIG_IGN);
  RunConfig cfg;
  const ScenarioDef& def = scenario_from_config(argv[2], list, cfg);
  auto& rt = ProcessRuntime::current();
  if (std::strcmp(argv[1], kMainArg) == 0) {
    // Die with the engine; the check closes the race with a parent that died
    // before prctl (then we have been reparented already).
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() != cfg.supervisor_pid) _exit(1);
    // Only 0-2 and the event pipe may be inherited from the launcher.
    close_range(static_cast<unsigned>(std::max(cfg.event_fd, cfg.gate_fd)) + 1, ~0U, 0);
    set_cloexec(cfg.event_fd);
    if (cfg.gate_fd >= 0) set_cloexec(cfg.gate_fd);
    rt.init_main(std::move(cfg), &def);
    int code = run_child_body([&] {
      if (def.module_init) def.module_init(rt.config().params);
      def.main(rt.config().params);
    });
    rt.exit_process(code);
  }
  if (argc < 4) fail("__child needs a child description");
  auto c = nlohmann::json::parse(argv[3], nullptr, false);
  if (!c.is_object()) fail("bad child description");
  std::string entry;
  std::optional<Args> args;
  try {
    args = Args::from_json(c.at("args").dump());
    entry = c.at("entry").get<std::string>();
    rt.init_spawned(std::move(cfg), &def, c.at("name").get<std::string>(),
                    c.at("identity").get<std::string>(), c.at("daemon").get<bool>());
  } catch (const nlohmann::json::exception& e) {
    fail(std::string("bad child description: ") + e.what());
  }
  if (!args) fail("bad child arguments");
  set_cloexec(rt.config().event_fd);
  set_cloexec(rt.arena().fd());
  if (rt.config().gate_fd >= 0) set_cloexec(rt.config().gate_fd);
  int code = run_child_body([&] {
    // A fresh interpreter re-imports __main__: module globals are built anew.
    if (def.module_init) def.module_init(rt.config().params);
    run_entry(entry, *args);
  });
  rt.exit_process(code);
}

}  // namespace mpviz::rt
