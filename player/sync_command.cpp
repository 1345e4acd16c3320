// `sync --once` and `rollback`: the share sync for scripts and timers. One line says what
// happened; the exit status says whether the cache is up to date (0) or why not (1).
#include "player/commands.h"

#include "player/data_paths.h"
#include "player/log.h"
#include "playlist/child_process.h"
#include "playlist/share_sync.h"
#include "playlist/snapshot_cache.h"

#include <cstdio>
#include <filesystem>

namespace signage {

namespace {

// The config alone (sync needs neither the display nor the playlist loaded): nullopt after
// printing its errors (exit status 2).
std::optional<Config> load_sync_config(const CliOptions& cli)
{
    ConfigLoad load = load_config(choose_config_path(cli.config, find_data_paths()));
    if (!load.errors.empty()) {
        for (const auto& error : load.errors)
            std::fprintf(stderr, "%s\n", error.to_string().c_str());
        return std::nullopt;
    }
    log::set_level(load.config.log_level);
    for (const auto& warning : load.warnings)
        log::warn(warning.to_string());
    return load.config;
}

std::string summary(const SyncReport& report)
{
    char seconds[32];
    std::snprintf(seconds, sizeof seconds, "%.0f ms", report.seconds * 1000);
    if (!report.changed)
        return "sync: up to date: snapshot " + report.snapshot + ", " + std::to_string(report.files) + " files (" +
               seconds + (report.share_unchanged ? ", the share's manifest.txt is not modified" : "") + ")";
    std::string text = "sync: snapshot " + report.snapshot + " is current: " + std::to_string(report.files) +
                       " files, " + std::to_string(report.files_copied) + " copied (" +
                       std::to_string(report.bytes_copied) + " bytes), " + std::to_string(report.files_linked) +
                       " linked, " + std::to_string(report.files_removed) + " removed";
    if (report.files_probed > 0)
        text += ", " + std::to_string(report.files_probed) + " media file" + (report.files_probed == 1 ? "" : "s") +
                " probed";
    text += std::string(" (") + seconds;
    if (report.settle_wait_seconds > 0) {
        char wait[48];
        std::snprintf(wait, sizeof wait, ", %.2f s of it waiting for files to settle", report.settle_wait_seconds);
        text += wait;
    }
    return text + ")";
}

}  // namespace

int run_sync(const CliOptions& cli)
{
    auto config = load_sync_config(cli);
    if (!config)
        return 2;
    if (config->share.empty()) {
        log::error("sync: no [content] share set in " + config->file + "; nothing to sync");
        return 1;
    }
    SyncOptions options = sync_options_from_config(*config);
    // The media probe is this program's hidden `probe` command, run as a child only when media
    // files changed (playlist/snapshot_probe.h): this process never loads the media module.
    std::error_code ec;
    options.probe.argv = {own_program(), "probe", "--config", std::filesystem::absolute(config->file, ec).string()};
    auto report = sync_share(options);
    if (!report) {
        log::error("sync failed: " + report.error().to_string());
        return 1;
    }
    for (const auto& e : report->refused)
        log::warn(e.to_string());
    for (const auto& e : report->not_taken)
        log::warn(e.to_string());
    for (const auto& e : report->warnings)
        log::warn(e.to_string());
    log::info(summary(*report));
    return 0;
}

int run_rollback(const CliOptions& cli)
{
    auto config = load_sync_config(cli);
    if (!config)
        return 2;
    std::string cache = config->resolve(config->cache);
    if (Status s = rollback_snapshot(cache); !s) {
        log::error("rollback failed: " + s.error().to_string());
        return 1;
    }
    auto current = current_snapshot_dir(cache);
    log::info("rollback: " + (current ? std::filesystem::path(*current).filename().string() : std::string("?")) +
              " is the current snapshot again");
    return 0;
}

}  // namespace signage
