#include "app/step_commands.hpp"

#include <cerrno>
#include <charconv>
#include <poll.h>
#include <sstream>
#include <unistd.h>

namespace mpviz::cli {

std::optional<StepCommand> parse_step_command(const std::string& line, std::string& error) {
  std::istringstream in(line);
  std::string word, arg, extra;
  in >> word >> arg >> extra;
  if (!extra.empty()) {
    error = "too many words in '" + line + "'";
    return std::nullopt;
  }
  if (word == "step" || word == "s") {
    if (arg.empty()) return StepCommand{StepCommand::Step};
    int pid = 0;
    auto r = std::from_chars(arg.data(), arg.data() + arg.size(), pid);
    if (r.ec != std::errc() || r.ptr != arg.data() + arg.size() || pid <= 0) {
      error = "step wants a pid, got '" + arg + "'";
      return std::nullopt;
    }
    return StepCommand{StepCommand::StepPid, pid};
  }
  if (!arg.empty()) {
    error = "'" + word + "' takes no argument";
    return std::nullopt;
  }
  if (word == "run") return StepCommand{StepCommand::Run};
  if (word == "pause") return StepCommand{StepCommand::Pause};
  if (word == "quit" || word == "q") return StepCommand{StepCommand::Quit};
  error = "unknown command '" + line + "' (step, step PID, run, pause, quit)";
  return std::nullopt;
}

std::optional<std::string> LineReader::next() {
  for (;;) {
    auto nl = buf_.find('\n');
    if (nl != std::string::npos) {
      std::string line = buf_.substr(0, nl);
      buf_.erase(0, nl + 1);
      if (!line.empty() && line.back() == '\r') line.pop_back();
      return line;
    }
    if (eof_) {
      if (buf_.empty()) return std::nullopt;
      std::string line;
      line.swap(buf_);
      return line;
    }
    pollfd p{fd_, POLLIN, 0};
    if (::poll(&p, 1, 0) <= 0) return std::nullopt;
    char chunk[512];
    ssize_t n = ::read(fd_, chunk, sizeof chunk);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      eof_ = true;
      continue;
    }
    buf_.append(chunk, static_cast<size_t>(n));
  }
}

}  // namespace mpviz::cli
