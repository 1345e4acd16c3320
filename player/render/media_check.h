// Whether a video will play, checked the way the player opens it. `check` and the sync's media
// probe (probe_command.cpp) ask the same question, so they cannot disagree on a file.
#pragma once

#include "playlist/config/config.h"
#include "playlist/base/error.h"
#include "playlist/timeline/playlist.h"
#include "player/render/poster_loader.h"

namespace signage {

// [limits] for posters and background images, as the slides apply them.
ImageLimits image_limits_for(const Config& config);

// Opens `item.path` with the item's trims and [limits], and waits for its first frame. In
// software: whether the file plays must not depend on this box's GPU driver. Errors name the file.
Status check_video_plays(const PlaylistItem& item, const Config& config);

}  // namespace signage
