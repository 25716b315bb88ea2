// libFuzzer target: mpviz's command line. The input is an argument vector,
// arguments separated by NUL bytes; it goes through the real CLI11 parser
// (app/command_line.cpp, the same function main() calls), then every
// `--set KEY=VALUE` of a `run` goes through the parameter parser against
// parameter specs of every type. Checks the contract: a parse error exits 2
// with ONE line on stderr, and nothing throws or trips a sanitizer.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <vector>

#include "app/command_line.hpp"
#include "fuzz_specs.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::vector<std::string> args = {"mpviz"};
  std::string cur;
  for (size_t i = 0; i < size && args.size() < 64; ++i) {
    if (data[i] == 0) {
      args.push_back(cur);
      cur.clear();
    } else {
      cur.push_back(static_cast<char>(data[i]));
    }
  }
  if (!cur.empty() && args.size() < 64) args.push_back(cur);
  std::vector<const char*> argv;
  for (const auto& a : args) argv.push_back(a.c_str());
  argv.push_back(nullptr);

  // Both help languages (a zh_* locale's default; `--lang` in the input overrides).
  const auto lang = size % 2 ? mpviz::cli::HelpLang::Zh : mpviz::cli::HelpLang::En;
  auto r = mpviz::cli::parse_command_line(static_cast<int>(args.size()), argv.data(), lang);
  if (!r.command) {
    if (r.exit_code == 2) {
      // One line, and nothing on stdout.
      size_t nl = r.err.find('\n');
      if (r.err.empty() || nl != r.err.size() - 1 || !r.out.empty()) std::abort();
    } else if (r.exit_code != 0) {
      std::abort();
    }
    return 0;
  }
  if (r.command->command == mpviz::cli::CommandLine::Command::Run) {
    const auto& specs = mpviz::fuzz::param_specs();
    auto values = mpviz::ParamValues::defaults(specs);
    for (const auto& kv : r.command->run.sets) {
      auto err = values.set(specs, kv);
      if (err && err->empty()) std::abort();
    }
    mpviz::fuzz::check_in_range(values, specs);
    // Limits: in range, so that MB * 2^20 cannot overflow in `run`.
    const auto& run = r.command->run;
    if (run.max_processes < 0 || run.max_output_mb < 0 || run.max_output_mb > (int64_t{1} << 30) ||
        (run.max_memory_mb && (*run.max_memory_mb < 0 || *run.max_memory_mb > (int64_t{1} << 30))))
      std::abort();
  }
  return 0;
}
