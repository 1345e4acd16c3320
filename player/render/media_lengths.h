// Video lengths learnt before playing, from each file's container (no decoding): screens in
// step ([screen] clock_locked) must know every item's length in advance, `schedule` and the
// contact sheet print them. Milliseconds a file, off the render thread.
#pragma once

#include "playlist/timeline/playlist.h"

#include <map>
#include <optional>
#include <string>

namespace signage {

struct VideoLength {
    std::optional<double> played;  // the item's played length: trims and loops applied
    std::string error;             // why it is unknown ("" when known)
};

// Opens each file once, however many items play it.
class VideoLengths {
public:
    VideoLength of(const PlaylistItem& item);

private:
    struct File {
        std::optional<double> length;
        std::string error;
    };
    std::map<std::string, File> m_files;
};

// Sets known_length of every video without a `duration` whose length its container states.
void learn_video_lengths(Playlist& playlist);

}  // namespace signage
