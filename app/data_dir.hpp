// Where mpviz finds what it reads at run time: the Python listings
// (listings/) and the Python tracer (python/). ONE lookup, used everywhere.
//
// In order, the first directory that holds python/sitecustomize.py:
//   1. ../share/mpviz beside the running binary (/proc/self/exe): an
//      installed mpviz (/usr, ~/.local, any --prefix), moved or not;
//   2. $MPVIZ_DATA_DIR;
//   3. the source tree's assets/ (compiled in): a binary run from its build
//      tree. Only used when it still exists.
// Nothing found: "" (callers then fail with a message that names the lookup).
#pragma once
#include <string>
#include <vector>

namespace mpviz {

// The directory, looked up once per process (without a trailing slash).
const std::string& data_dir();

// `data_dir() + "/" + rel`, e.g. data_path("listings/lock.py").
std::string data_path(const std::string& rel);

// The candidates in lookup order, for a binary at `exe` with the given
// environment value (nullptr: unset) and compiled-in source assets.
// Pure: what data_dir() tries, and what `mpviz version` reports.
std::vector<std::string> data_dir_candidates(const std::string& exe, const char* env_value,
                                             const std::string& source_assets);

// True if `dir` looks like mpviz's data directory.
bool is_data_dir(const std::string& dir);

// This binary's path (/proc/self/exe resolved), "" if unknown.
std::string self_exe_path();

}  // namespace mpviz
