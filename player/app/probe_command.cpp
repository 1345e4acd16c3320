// `probe --inside DIR video:FILE… image:FILE…`: the sync's media probe (playlist/sync/snapshot_probe.h
// says why it is a child process, and what it answers). Hidden: the sync runs it, not people;
// `check` is the command for people, and judges files the same way (media_check.h).
#include "player/front/commands.h"

#include "player/front/data_paths.h"
#include "playlist/base/log.h"
#include "player/render/media_check.h"
#include "player/front/player_setup.h"
#include "playlist/base/path_guard.h"
#include "playlist/sync/snapshot_probe.h"

#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <string_view>
#include <sys/prctl.h>
#include <unistd.h>

namespace signage {

namespace {

// Why `file` (below `inside`) would not play; "" when it plays.
std::string probe_one(const std::string& inside, const ProbeFile& file, const Config& config)
{
    // Only inside the staging folder: the name is confined by its spelling, then by where its
    // real path leads (a snapshot holds no links, but the probe does not rely on it).
    auto full = confine_path(inside, file.path);
    if (!full)
        return full.error().message;
    if (Status s = check_real_path_inside(inside, *full); !s)
        return s.error().message;
    Status verdict;
    if (file.kind == ProbeKind::Video) {
        PlaylistItem item;  // the file as a whole: trims are the playlist's business, checked by `check`
        item.path = *full;
        verdict = check_video_plays(item, config);
    } else if (auto image = load_poster(*full, image_limits_for(config)); !image) {
        verdict = image.error();
    }
    if (verdict)
        return "";
    // The parent names the file itself; a message about another file keeps its name.
    const Error& e = verdict.error();
    return e.file == *full ? e.message : e.to_string();
}

// SIGNAGE_PROBE_TEST=hang:PATH or crash:PATH (snapshot_probe.h): what a hostile file could do.
void run_test_hook(const ProbeFile& file)
{
    const char* hook = std::getenv(kProbeTestHookVariable);
    if (!hook)
        return;
    std::string_view text = hook;
    if (text == "hang:" + file.path)
        for (;;)
            ::pause();
    if (text == "crash:" + file.path)
        std::abort();
}

}  // namespace

int run_probe(const CliOptions& cli)
{
    // A sync killed meanwhile (`play` stopping, sync_timeout, kill -9) takes its probe with it:
    // a decoder spinning on a hostile file must not outlive the sync that asked.
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (::getppid() == 1)
        return 1;  // the sync died before that took effect
    ConfigLoad load = load_config(choose_config_path(cli.config, find_data_paths()));
    if (!load.errors.empty()) {
        for (const auto& error : load.errors)
            std::fprintf(stderr, "%s\n", error.to_string().c_str());
        return 2;
    }
    // Only the answers matter; FFmpeg's warnings about a broken file would crowd them out of
    // what the parent keeps of the output.
    log::set_level("error");
    std::vector<ProbeFile> files;
    for (const std::string& argument : cli.files) {
        auto file = parse_probe_argument(argument);
        if (!file) {
            std::fprintf(stderr, "probe: expected video:FILE or image:FILE, got \"%s\"\n", argument.c_str());
            return 2;
        }
        files.push_back(std::move(*file));
    }
    for (const ProbeFile& file : files) {
        run_test_hook(file);
        std::string answer = probe_answer_line(file, probe_one(cli.inside, file, load.config));
        // At once: were the next file to hang or crash this child, this answer still counts.
        std::fputs(answer.c_str(), stdout);
        std::fflush(stdout);
    }
    return 0;
}

}  // namespace signage
