// `mpviz --version` / `mpviz version`: what this binary is and what it runs
// with: version (CMake's project VERSION), git commit (at build time),
// ImGui and Boost (compiled in), the Python used (asked at run time) and
// the data directory found (app/data_dir.hpp).
#pragma once
#include <string>

namespace mpviz {

// "0.1.0"
const char* version();

// The full report, one "key: value" line each after the first ("mpviz 0.1.0").
std::string version_report();

}  // namespace mpviz
