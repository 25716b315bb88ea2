// The recording loader's fast path (engine/recording/recording.cpp uses it first, line
// by line): one event line of the flat format our writer produces, parsed
// without building a JSON tree.
#pragma once
#include <memory>
#include <string_view>

#include "engine/wire/event.hpp"

namespace mpviz {

class FastEventLineParser {
 public:
  FastEventLineParser();
  ~FastEventLineParser();
  // True and `out` filled if the line is an event line it fully understands;
  // false for anything else (the caller then asks the strict parser, which
  // decides between success and the exact error message).
  bool parse(std::string_view line, Event& out);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;  // per-key value slots, reused line after line
};

}  // namespace mpviz
