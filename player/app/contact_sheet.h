// `render --contact-sheet`: one page for a content manager with every item this screen shows,
// as a grid of thumbnails. Each is the picture the screen shows (made by the player's own load
// of the item: a slogan composed, a poster fitted, a video's first frame), with the item's name,
// length, schedule and group, and marks for fixed slots, alerts and idle content. Items the
// screen's tags exclude are left out. Given an instant, what is out of schedule then is dimmed
// and marked "not now"; an item that cannot be shown is a grey tile with the reason.
#pragma once

#include "player/front/player_setup.h"
#include "player/media/sdl_handles.h"
#include "playlist/base/geometry.h"
#include "playlist/base/wall_time.h"

#include <optional>
#include <string>
#include <vector>

namespace signage {

struct ContactSheetOptions {
    // The screen (render --size, else the config's): thumbnails keep its shape, and the sheet is
    // as wide as it (kept between 960 and 3840 pixels, so it stays a readable page).
    int screen_width = 1920;
    int screen_height = 1080;
    std::optional<WallTime> at;  // dims what is out of schedule at this instant
    WallTime now = 0;            // named in the title when `at` is unset
    size_t max_items = 200;      // more get a "+N more" note
};

struct SheetTile {
    size_t item = 0;       // into Playlist::items (unless `screen`)
    bool screen = false;   // with a layout, the first tile: the whole screen as play shows it then
    Rect picture;          // the thumbnail's place on the sheet
    bool broken = false;   // drawn grey, with `error`
    bool not_now = false;  // dimmed: out of schedule at ContactSheetOptions::at
    std::string error;
};

struct ContactSheet {
    SurfacePtr image;
    std::vector<SheetTile> tiles;  // in playlist order
    int columns = 0;
    size_t more = 0;           // items over max_items, left off the page
    size_t other_screens = 0;  // items the screen's tags exclude
};

// Reads the playlist's files (videos are probed and decoded): not for the play loop.
Result<ContactSheet> make_contact_sheet(const PlayerSetup& setup, const ContactSheetOptions& options);

}  // namespace signage
