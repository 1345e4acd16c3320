#include "player/render/playback_stats.h"

#include "playlist/base/atomic_file.h"
#include "playlist/base/json.h"

#include <algorithm>
#include <cstdio>

namespace signage {

namespace {

std::string number(double value)
{
    char text[32];
    std::snprintf(text, sizeof text, "%.6f", value);
    return text;
}

std::string figures_json(const ItemFigures& f)
{
    return "{\"plays\": " + std::to_string(f.plays) + ", \"frames_presented\": " + std::to_string(f.frames_presented) +
           ", \"frames_dropped\": " + std::to_string(f.frames_dropped) +
           ", \"late_frames\": " + std::to_string(f.late_frames) +
           ", \"audio_underruns\": " + std::to_string(f.audio_underruns) +
           ", \"max_av_offset_ms\": " + number(f.max_av_offset * 1000) +
           ", \"max_present_gap_ms\": " + number(f.max_present_gap * 1000) + "}";
}

}  // namespace

void ItemFigures::add(const ItemFigures& other)
{
    plays += other.plays;
    frames_presented += other.frames_presented;
    frames_dropped += other.frames_dropped;
    late_frames += other.late_frames;
    audio_underruns += other.audio_underruns;
    max_av_offset = std::max(max_av_offset, other.max_av_offset);
    max_present_gap = std::max(max_present_gap, other.max_present_gap);
}

ItemFigures PlaybackStats::total() const
{
    ItemFigures sum;
    for (const auto& [source, figures] : m_items)
        sum.add(figures);
    return sum;
}

std::string PlaybackStats::to_json(double seconds) const
{
    std::string out = "{\n  \"seconds\": " + number(seconds) + ",\n  \"items\": {";
    bool first = true;
    for (const auto& [source, figures] : m_items) {
        out += first ? "\n" : ",\n";
        out += "    " + json_string(source) + ": " + figures_json(figures);
        first = false;
    }
    out += first ? "},\n" : "\n  },\n";
    out += "  \"total\": " + figures_json(total()) + "\n}\n";
    return out;
}

Status PlaybackStats::write(const std::string& path, double seconds) const
{
    return write_file_atomically(path, to_json(seconds));
}

}  // namespace signage
