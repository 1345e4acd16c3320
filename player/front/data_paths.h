// Finds the demo assets and bundled fonts both in the build tree and when installed.
#pragma once

#include <string>

namespace signage {

struct DataPaths {
    std::string assets;  // folder holding the demo playlist, slogans and posters
    std::string fonts;   // folder holding the bundled font
};

// Order: $SIGNAGE_DATA_DIR, <exe>/../share/signage-player (installed, relocatable),
// the install prefix compiled in, then the source tree the binary was built from.
DataPaths find_data_paths();

// The built-in demo's config when no --config is given and /etc/signage-player/player.ini is absent.
inline constexpr const char* kSystemConfigPath = "/etc/signage-player/player.ini";

}  // namespace signage
