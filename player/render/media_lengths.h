// Video lengths learnt before playing: screens in step ([screen] clock_locked) compute where the
// loop is from the wall clock, which needs every item's length in advance. Opens each video's
// container (no decoding): milliseconds a file, on the thread that reads the playlist.
#pragma once

#include "playlist/timeline/playlist.h"

namespace signage {

// Sets known_length of every video without a `duration` whose length its container states.
void learn_video_lengths(Playlist& playlist);

}  // namespace signage
