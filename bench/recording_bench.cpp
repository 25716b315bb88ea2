// Recording benchmark: load a .jsonl recording (the loader `mpviz gui --open`
// and `mpviz export` use), save it again (`to_jsonl`), export it as Chrome
// trace JSON (`to_chrome_json`), each timed; peak RSS of this process after
// each phase. Prints one JSON object on stdout.
//
//   mpviz_bench_recording FILE [--phases load,save,export] [--reps R]
//
// Times are medians over R repetitions (default 1: a 1M-event load is ~1 s).
// `peak_rss_after_load_kb` is what holding the loaded events costs (the
// file's bytes are freed after parsing); run with `--phases load` alone to
// get the loader's own peak.
#include <sys/resource.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>

#include "bench/bench_stats.hpp"
#include "engine/recording/chrome_export.hpp"
#include "engine/recording/recording.hpp"

namespace {

long peak_rss_kb() {
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  return ru.ru_maxrss;
}

}  // namespace

int main(int argc, char** argv) {
  namespace bench = mpviz::bench;
  if (argc < 2) {
    std::fprintf(stderr, "usage: mpviz_bench_recording FILE [--phases load,save,export] [--reps R]\n");
    return 2;
  }
  std::string path = argv[1], phases = "load,save,export";
  int reps = 1;
  for (int i = 2; i + 1 < argc; i += 2) {
    std::string a = argv[i];
    if (a == "--phases") phases = argv[i + 1];
    else if (a == "--reps") reps = std::max(1, std::atoi(argv[i + 1]));
  }
  auto has = [&](const char* p) { return phases.find(p) != std::string::npos; };
  nlohmann::json out;
  out["file"] = path;
  std::vector<double> load_s, save_s, export_s;
  mpviz::LoadResult loaded;
  for (int r = 0; r < reps; ++r) {
    loaded = {};
    int64_t t0 = bench::mono_ns();
    loaded = mpviz::load_jsonl_file(path);
    load_s.push_back(static_cast<double>(bench::mono_ns() - t0) / 1e9);
    if (!loaded.recording) {
      std::fprintf(stderr, "mpviz_bench_recording: %s: %s\n", path.c_str(), loaded.error.c_str());
      return 1;
    }
  }
  const auto& rec = *loaded.recording;
  const double n = static_cast<double>(rec.events.size());
  out["events"] = rec.events.size();
  out["load_s"] = bench::summary(load_s);
  out["load_events_s"] = n / bench::median(load_s);
  out["peak_rss_after_load_kb"] = peak_rss_kb();
  out["sizeof_event"] = sizeof(mpviz::Event);
  if (has("save")) {
    size_t bytes = 0;
    for (int r = 0; r < reps; ++r) {
      int64_t t0 = bench::mono_ns();
      std::string s = mpviz::to_jsonl(rec);
      std::ofstream f("/dev/null", std::ios::binary);
      f.write(s.data(), static_cast<std::streamsize>(s.size()));
      save_s.push_back(static_cast<double>(bench::mono_ns() - t0) / 1e9);
      bytes = s.size();
    }
    out["save_s"] = bench::summary(save_s);
    out["save_bytes"] = bytes;
    out["peak_rss_after_save_kb"] = peak_rss_kb();
  }
  if (has("export")) {
    size_t bytes = 0;
    for (int r = 0; r < reps; ++r) {
      int64_t t0 = bench::mono_ns();
      std::string s = mpviz::to_chrome_json(rec);
      export_s.push_back(static_cast<double>(bench::mono_ns() - t0) / 1e9);
      bytes = s.size();
    }
    out["export_s"] = bench::summary(export_s);
    out["export_bytes"] = bytes;
    out["peak_rss_after_export_kb"] = peak_rss_kb();
  }
  std::printf("%s\n", out.dump().c_str());
  return 0;
}
