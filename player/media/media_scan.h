// Whether a video file is whole: every packet read, none damaged, and the data reaching the end
// its container announces. A file cut short (half-copied, a download that stopped) opens and
// shows its first picture like a good one, then ends early or freezes mid-play; `check` and the
// sync's media probe read it through once, without decoding, to refuse it before it is taken.
// (A stream without a stated length, like MPEG-TS, can only be checked for damaged packets.)
#pragma once

#include "playlist/base/error.h"
#include "player/media/media_probe.h"

#include <string>

namespace signage {

// Ok when the file reads to its end cleanly; else an error naming the file and the first
// problem: a read error, a packet the demuxer marks corrupt, or data ending before the
// container's stated duration (beyond a tenth of a second or 0.5 %, whichever is more).
Status scan_media_packets(const std::string& path, const VideoLimits& limits);

// The same, remembered per version of the file (device, inode, size, modification time), so
// `play` reads each version through once, before its first play, not on every loop. Thread-safe.
Status scan_media_packets_once(const std::string& path, const VideoLimits& limits);

}  // namespace signage
