#pragma once
#include <string>

namespace mpviz::cli {
// `mpviz export REC.jsonl --chrome OUT.json`: 0 ok, 2 unreadable input or unwritable output.
int export_recording(const std::string& in, const std::string& chrome_out);
}
