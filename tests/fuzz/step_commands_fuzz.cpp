// libFuzzer target: `mpviz run --step` reads commands from stdin. The input
// goes through a pipe into the real LineReader and every line into
// parse_step_command (app/step_commands.cpp). Accepted commands are
// well-formed, rejected ones say why, and no byte of input is lost.
#include <fcntl.h>
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "app/step_commands.hpp"

using mpviz::cli::StepCommand;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > 60000) return 0;  // must fit in the pipe before anyone reads
  int p[2];
  if (pipe2(p, O_CLOEXEC) != 0) std::abort();
  if (size > 0 && write(p[1], data, size) != static_cast<ssize_t>(size)) std::abort();
  close(p[1]);
  mpviz::cli::LineReader reader(p[0]);
  size_t lines = 0, bytes = 0;
  for (int spins = 0; !reader.eof() && spins < 1000000; ++spins) {
    auto line = reader.next();
    if (!line) continue;
    ++lines;
    bytes += line->size();
    if (line->find('\n') != std::string::npos) std::abort();
    std::string err;
    auto cmd = mpviz::cli::parse_step_command(*line, err);
    if (!cmd) {
      if (err.empty()) std::abort();
      continue;
    }
    if (cmd->kind == StepCommand::StepPid && cmd->pid <= 0) std::abort();
    if (cmd->kind != StepCommand::StepPid && cmd->pid != 0) std::abort();
  }
  close(p[0]);
  if (!reader.eof()) std::abort();  // the reader must see the end of input
  // Every byte is in a line, except the newlines and a "\r" before one.
  size_t newlines = 0;
  for (size_t i = 0; i < size; ++i) newlines += data[i] == '\n';
  if (bytes > size - newlines || lines < newlines) std::abort();
  return 0;
}
