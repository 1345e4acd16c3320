// `publish DIR`: writes DIR/manifest.txt for the players that sync from DIR.
#include "player/front/commands.h"

#include "playlist/base/log.h"
#include "playlist/share/publish.h"

namespace signage {

int run_publish(const CliOptions& cli)
{
    // The file size limit players apply: from --config when given, else the default.
    Config config = default_config();
    if (!cli.config.empty()) {
        ConfigLoad load = load_config(cli.config);
        if (!load.errors.empty()) {
            for (const auto& error : load.errors)
                std::fprintf(stderr, "%s\n", error.to_string().c_str());
            return 2;
        }
        config = load.config;
    }
    log::set_level(config.log_level);
    ScanLimits limits;
    limits.max_file_bytes = static_cast<uint64_t>(config.max_file_mb) << 20;
    auto report = publish_manifest(cli.dir, limits);
    if (!report) {
        log::error("publish failed: " + report.error().to_string());
        return 1;
    }
    for (const auto& e : report->refused)
        log::warn(e.to_string() + " (players will not sync it)");
    log::info("publish: " + report->manifest + ": " + std::to_string(report->files) + " files, " +
              std::to_string(report->bytes) + " bytes");
    return 0;
}

}  // namespace signage
