// Playback figures per item and in total, for `play --stats FILE` (JSON) and later for metrics:
// frames presented, dropped and late, audio underruns, the largest A/V offset and the largest
// gap between two presents while a video plays. Render thread only.
#pragma once

#include "playlist/base/error.h"

#include <cstdint>
#include <map>
#include <string>

namespace signage {

struct ItemFigures {
    uint64_t plays = 0;              // times the item came on screen
    uint64_t frames_presented = 0;   // video frames that reached the screen
    uint64_t frames_dropped = 0;     // decoded but never shown (due together with a later one)
    uint64_t late_frames = 0;        // shown more than one frame period after they were due
    uint64_t audio_underruns = 0;    // the sound card wanted samples the decoder did not have
    double max_av_offset = 0;        // seconds, |picture time - sound time| at a present
    double max_present_gap = 0;      // seconds between two presents while a video played

    void add(const ItemFigures& other);
};

class PlaybackStats {
public:
    // The figures of an item, by its `source` ("playlist.ini:12").
    ItemFigures& item(const std::string& source) { return m_items[source]; }
    const std::map<std::string, ItemFigures>& items() const { return m_items; }
    ItemFigures total() const;

    // {"items": {"playlist.ini:12": {...}, ...}, "total": {...}, "seconds": S}
    std::string to_json(double seconds) const;
    Status write(const std::string& path, double seconds) const;

private:
    std::map<std::string, ItemFigures> m_items;
};

}  // namespace signage
