#include "app/cli_export.hpp"

#include <cstdio>
#include <fstream>

#include "engine/recording/chrome_export.hpp"
#include "engine/recording/recording.hpp"

namespace mpviz::cli {

int export_recording(const std::string& in, const std::string& chrome_out) {
  auto loaded = load_jsonl_file(in);
  if (!loaded.recording) {
    std::fprintf(stderr, "mpviz: %s: %s\n", in.c_str(), loaded.error.c_str());
    return 2;
  }
  if (!loaded.warning.empty())
    std::fprintf(stderr, "mpviz: warning: %s: %s\n", in.c_str(), loaded.warning.c_str());
  std::ofstream out(chrome_out, std::ios::binary | std::ios::trunc);
  if (!out) {
    std::fprintf(stderr, "mpviz: cannot write '%s'\n", chrome_out.c_str());
    return 2;
  }
  out << to_chrome_json(*loaded.recording) << '\n';
  out.close();
  if (!out) {
    std::fprintf(stderr, "mpviz: writing '%s' failed\n", chrome_out.c_str());
    return 1;
  }
  return 0;
}

}  // namespace mpviz::cli
