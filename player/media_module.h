// The seam between the lean `signage-player` binary and its media module.
//
// `sync --once`, `publish`, `rollback`, `version` and the references need only the pure C++
// core (inih, OpenSSL; libcurl only for an HTTP(S) share, loaded then: playlist/curl_library.h).
// SDL2, SDL2_ttf, SDL2_image and FFmpeg brought the binary (libcurl linked then) from 37
// shared libraries to 175, and `--version` from 34 ms to 156 ms: more than the whole sync of a
// 1000-file share with one file changed (bench/sync.sh), and paid again by every background sync
// `play` runs as a child process. So they live in signage-player-media.so, which the binary dlopens only for
// play, render, check and bench. Linker options cannot help: the system libraries are already
// BIND_NOW, and every library loaded is needed by FFmpeg or SDL. A module in the same process
// rather than a second binary to exec: the libraries both halves use are loaded once, so `play`
// reaches its first frame as fast as the single binary did (an exec would add the front's own
// start-up), and the PID systemd watches stays the same.
#pragma once

#include "player/cli.h"

namespace signage {

// Both halves are built from one tree and must match: the front refuses a module whose
// version differs (a half-finished install mixing two versions).
inline constexpr const char* kMediaModuleFile = "signage-player-media.so";
inline constexpr const char* kMediaEntrySymbol = "signage_media_main";
inline constexpr const char* kMediaVersionSymbol = "signage_media_version";
// The module's entry takes the command line as player/cli.cpp parsed it in the front.
using MediaEntry = int (*)(const CliOptions& cli);

// In the front: finds the module beside the binary or where it is installed, loads it, runs
// the command; returns the exit status (1 with the reason logged when the module cannot load).
int run_media_command(const CliOptions& cli);

}  // namespace signage
