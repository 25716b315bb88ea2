// multiprocessing.Process: a child OS process that runs a registered entry
// point (target + args) or a subclass's run().
#pragma once
#include <optional>
#include <string>
#include <sys/types.h>

#include "engine/scenario/args.hpp"

namespace mpviz::rt {

class Process {
 public:
  // `entry` names the function the child runs (registered in the scenario's
  // entries, so a spawned child can find it). `type_name` gives the default
  // name "<type_name>-<identity>", as CPython does for subclasses.
  explicit Process(std::string entry, Args args = {}, std::string type_name = "Process");
  virtual ~Process() = default;
  Process(const Process&) = delete;
  Process& operator=(const Process&) = delete;

  // What the child executes. Default: the entry with its args. Subclasses
  // override it; their registered entry must rebuild the object from args
  // and call run() (that is what a spawned child does).
  virtual void run();

  void start();
  // timeout in scenario seconds (scaled by --speed); nullopt waits forever.
  void join(std::optional<double> timeout = std::nullopt);
  bool is_alive();
  void terminate();  // SIGTERM
  void kill();       // SIGKILL
  pid_t pid() const { return pid_; }
  std::optional<int> exitcode();

  std::string name;
  bool daemon = false;

 protected:
  const Args& args() const { return args_; }

 private:
  [[noreturn]] void spawn_exec(const std::string& identity);
  std::string entry_;
  Args args_;
  std::string type_name_;
  pid_t pid_ = 0;
};

}  // namespace mpviz::rt
