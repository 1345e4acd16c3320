// The media probe of a sync: before a new snapshot is stored, the videos and images its playlist
// shows that are new or changed are opened with the real decoders, and a file that would not
// play is not taken (its previous version stays, or it is left out), like a file still being
// copied. docs/sync.md, step 9.
//
// Why a child process (`signage-player probe`, player/app/probe_command.cpp) and not a call:
//   - the sync runs in the lean signage-sync binary, which must not load SDL or FFmpeg (~150
//     shared libraries, more than a whole sync costs: player/front/sync_main.cpp); signage-player,
//     beside it, is started only when a media file changed, so a sync that changed none costs
//     nothing more;
//   - the files come from outside: a hostile one may crash a decoder or make it spin. A crashed
//     or overrunning child is killed and blamed on the file it was probing; the sync goes on.
// The child probes the files in the order given and answers one line per file as soon as it is
// done, so the first file without an answer is the one it died or hung on; the rest are probed
// again by a new child.
//
// This file is the pure part (which files, the protocol, the runs); the decoding is the child's.
#pragma once

#include "playlist/base/child_process.h"
#include "playlist/base/error.h"
#include "playlist/timeline/playlist.h"

#include <atomic>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace signage {

enum class ProbeKind {
    Video,  // opened with FFmpeg and its first frame decoded
    Image,  // header checked against [limits], then decoded
};

struct ProbeFile {
    std::string path;  // relative to the snapshot's folder
    ProbeKind kind = ProbeKind::Video;
    bool operator==(const ProbeFile&) const = default;
};

// The files a playlist loaded from `root` shows (video items, image items, items' background
// images) that `is_new` says are new or changed, each once per kind, in playlist order. Files
// outside `root` and slogan files are not media and are not probed.
std::vector<ProbeFile> files_to_probe(const Playlist& playlist, const std::string& root,
                                      const std::function<bool(const std::string& path)>& is_new);

// --- The child's protocol ---------------------------------------------------------------------
// Arguments: `--inside ROOT` then one "video:PATH" or "image:PATH" per file (PATH relative to
// ROOT). Answers on standard output, one line per file:
//   probe<TAB>ok<TAB>video:PATH
//   probe<TAB>failed<TAB>video:PATH<TAB>why, for people
// Share paths hold no control characters (share_scan.h refuses them); the reason's are replaced.
// FFmpeg's and the log's lines may come in between: they never start with "probe<TAB>".

std::string probe_argument(const ProbeFile& file);
std::optional<ProbeFile> parse_probe_argument(std::string_view argument);
// `problem` empty: the file plays.
std::string probe_answer_line(const ProbeFile& file, std::string_view problem);

struct ProbeAnswer {
    ProbeFile file;
    std::string problem;  // "" = plays
};
// The answer lines in `output`, in order; other lines are ignored.
std::vector<ProbeAnswer> parse_probe_answers(std::string_view output);

// --- Running it --------------------------------------------------------------------------------

// A child probes at most this many files: a hung one then costs at most this many timeouts.
inline constexpr size_t kProbeFilesPerChild = 16;

struct ProbeCommand {
    std::vector<std::string> argv;  // the program (a path) and its first arguments; empty: no probe
    double seconds_per_file = 30;   // [limits] probe_timeout
    // Added to a child's time for its start-up (loading SDL and FFmpeg, reading the config).
    double start_seconds = 10;
};

// What one child run told about `files` (in its order): an answer for some files, and the reason
// to blame the first unanswered one for, when the child died or overran on it.
struct ProbeRunReading {
    std::vector<std::optional<std::string>> problems;  // per file: nullopt = no answer
    std::optional<std::string> blame;  // for the first unanswered file; nullopt: none to blame
};
ProbeRunReading read_probe_run(const std::vector<ProbeFile>& files, const ChildRun& run, double timeout_seconds);

// Probes `files` (below `root`) with as many children as it takes; per file, "" when it plays,
// else why not. Fails only when a child cannot be started or `stop` is set.
Result<std::vector<std::string>> probe_files(const ProbeCommand& command, const std::string& root,
                                             const std::vector<ProbeFile>& files, const std::atomic<bool>& stop);

// The test hook of the child (integration tests: a probe that hangs or crashes on one file,
// which no real file does reliably): SIGNAGE_PROBE_TEST=hang:PATH or crash:PATH.
inline constexpr const char* kProbeTestHookVariable = "SIGNAGE_PROBE_TEST";

}  // namespace signage
