// `mpviz run --step`: stdin lines drive the held run (CONTRACT):
//   step        let the oldest pending operation proceed
//   step PID    let that process's pending operation proceed
//   run         let everything go      pause   hold again      quit   stop the run
#pragma once
#include <optional>
#include <string>

namespace mpviz::cli {

struct StepCommand {
  enum Kind { Step, StepPid, Run, Pause, Quit } kind;
  int pid = 0;
};

// Parses one line; nullopt (with `error` set) for anything else.
std::optional<StepCommand> parse_step_command(const std::string& line, std::string& error);

// Non-blocking line reader over a file descriptor.
class LineReader {
 public:
  explicit LineReader(int fd) : fd_(fd) {}
  // Returns the next complete line if one is available now.
  std::optional<std::string> next();
  bool eof() const { return eof_ && buf_.empty(); }

 private:
  int fd_;
  bool eof_ = false;
  std::string buf_;
};

}  // namespace mpviz::cli
