#pragma once

namespace mpviz::cli {
// `mpviz list [--json]`: scenarios with titles and parameters.
int list_scenarios(bool json);
}
