// Micro-benchmark "scenarios": each one measures a runtime primitive inside
// real scenario processes, exactly as ../shared/bench/py_mp_bench.py measures
// CPython's, and reports one line per repetition through rt::print:
//     BENCH <key> <value>
// with the same keys and units as the CPython benchmark. They run under the
// real Supervisor with tracing on, so every figure includes the cost of
// tracing the operation.
#pragma once
#include <string>

#include "engine/scenario/scenario.hpp"

namespace mpviz::bench {

inline constexpr const char* kReportPrefix = "BENCH ";

const ScenarioList& primitive_scenarios();

}  // namespace mpviz::bench
