// `sync --once [--alerts]` and `rollback`: the share sync for scripts and timers. One line says
// what happened; the exit status says whether the cache is up to date (0) or why not (1); with
// --result-fd N the outcome is also written there as JSON (playlist/sync/sync_result.h), which is how
// the player's background sync learns it.
#include "player/front/commands.h"

#include "player/front/data_paths.h"
#include "playlist/base/log.h"
#include "playlist/base/child_process.h"
#include "playlist/base/file_io.h"
#include "playlist/sync/share_sync.h"
#include "playlist/share/snapshot_cache.h"
#include "playlist/sync/sync_result.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>

namespace signage {

namespace {

// The config alone (sync needs neither the display nor the playlist loaded): nullopt after
// printing its errors (exit status 2), the last of them in `error`.
std::optional<Config> load_sync_config(const CliOptions& cli, std::string* error = nullptr)
{
    ConfigLoad load = load_config(choose_config_path(cli.config, find_data_paths()));
    if (!load.errors.empty()) {
        for (const auto& e : load.errors)
            std::fprintf(stderr, "%s\n", e.to_string().c_str());
        if (error)
            *error = load.errors.back().to_string();
        return std::nullopt;
    }
    log::set_level(load.config.log_level);
    for (const auto& warning : load.warnings)
        log::warn(warning.to_string());
    return load.config;
}

// Writes the outcome to --result-fd, when given; the exit status stays `status`.
int answer(const CliOptions& cli, const SyncOutcome& outcome, int status)
{
    if (cli.result_fd < 0)
        return status;
    std::string json = sync_result_json(outcome);
    if (!write_all(cli.result_fd, json.data(), json.size()))
        log::error("sync: cannot write the result to descriptor " + std::to_string(cli.result_fd) + ": " +
                   std::strerror(errno));
    return status;
}

// `what`: "sync" or "alerts sync".
std::string summary(const SyncReport& report, const std::string& what)
{
    char seconds[32];
    std::snprintf(seconds, sizeof seconds, "%.0f ms", report.seconds * 1000);
    if (!report.changed)
        return what + ": up to date: snapshot " + report.snapshot + ", " + std::to_string(report.files) + " files (" +
               seconds + (report.share_unchanged ? ", the share's manifest.txt is not modified" : "") + ")";
    std::string text = what + ": snapshot " + report.snapshot + " is current: " + std::to_string(report.files) +
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
    SyncOutcome outcome;
    std::string config_error;
    auto config = load_sync_config(cli, &config_error);
    if (!config) {
        outcome.error = config_error;
        return answer(cli, outcome, 2);
    }
    if (config->share.empty()) {
        outcome.error = "sync: no [content] share set in " + config->file + "; nothing to sync";
        log::error(*outcome.error);
        return answer(cli, outcome, 1);
    }
    // --alerts: the share's alerts/ folder alone, into CACHE/alerts, probing nothing.
    SyncOptions options = cli.alerts ? alerts_sync_options_from_config(*config) : sync_options_from_config(*config);
    std::string what = cli.alerts ? "alerts sync" : "sync";
    // The media probe is signage-player's hidden `probe` command, run as a child only when media
    // files changed (playlist/sync/snapshot_probe.h): the sync itself never loads SDL or FFmpeg.
    std::error_code ec;
    if (!cli.alerts)
        options.probe.argv = {program_beside_me(kPlayerProgram), "probe", "--config",
                              std::filesystem::absolute(config->file, ec).string()};
    auto report = sync_share(options);
    if (!report) {
        log::error(what + " failed: " + report.error().to_string());
        outcome.error = report.error().to_string();
        outcome.busy = report.error().message.starts_with(kCacheBusyMessage);
        return answer(cli, outcome, 1);
    }
    for (const auto* errors : {&report->refused, &report->not_taken, &report->warnings})
        for (const auto& e : *errors) {
            log::warn(e.to_string());
            outcome.warnings.push_back(e.to_string());
        }
    outcome.summary = summary(*report, what);
    log::info(outcome.summary);
    return answer(cli, outcome, 0);
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
