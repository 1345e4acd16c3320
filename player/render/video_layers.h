// The render thread's side of video items: takes decoders the loader has opened, shows the frame
// due at each instant on a reused YUV texture, and keeps per-item playback figures.
//
// One video item may be on screen while its next play is being prepared (a playlist of one video,
// or a video that follows itself): every slot gets its own decoder. An opened decoder waits as
// the item's "next instance" until a slot starts with it; it is then bound to that slot.
#pragma once

#include "playlist/timeline/playlist.h"
#include "playlist/timeline/sequencer.h"
#include "playlist/base/values.h"
#include "player/render/content_loader.h"
#include "player/audio/audio_output.h"
#include "player/render/playback_stats.h"
#include "player/video/video_texture.h"

#include <map>
#include <memory>
#include <optional>
#include <span>
#include <vector>

namespace signage {

// The canvas items are laid out on, and how the screen shows it: turned clockwise by `rotation`.
struct ScreenGeometry {
    int canvas_w = 1920;
    int canvas_h = 1080;
    int rotation = 0;
};

class VideoLayers {
public:
    // `audio` (nullptr when silent) plays the sound of the video on screen; a video with sound
    // follows its audio clock, one without follows the wall clock.
    VideoLayers(SDL_Renderer* renderer, ScreenGeometry geometry, const Playlist& playlist, PlaybackStats* stats,
                AudioOutput* audio = nullptr);
    ~VideoLayers();
    VideoLayers(const VideoLayers&) = delete;
    VideoLayers& operator=(const VideoLayers&) = delete;

    // Brings one item's decoders in line with the timeline: `slots` are its slots on screen.
    // With `wanted`, a decoder for its next play is asked of the loader and taken once open (one
    // waiting instance per item). Closes what is no longer needed: a waiting instance neither
    // wanted nor about to start one of `slots`, playing ones whose slot is not in `slots`.
    // Returns whether a decoder was taken.
    bool keep(ContentLoader& loader, size_t item, bool wanted, std::span<const Slot> slots, double now);
    // Asks the loader for a decoder for the item's next play, and takes it once open (unless one
    // is waiting already). Returns whether one was taken.
    bool take_opened(ContentLoader& loader, size_t item, double now);

    // A decoder for the item's next play is open and waiting for its slot.
    bool waiting(size_t item) const { return m_waiting.count(item) != 0; }

    // Ready once a waiting instance has its first frame decoded, so the item starts without a
    // black frame.
    Readiness readiness(const ContentLoader& loader, size_t item, double now) const;

    // The item's length on screen, once a decoder for it is open: `duration` when set, else its
    // loops times one play; nullopt while unknown. A play that ended early (a truncated file)
    // shortens it.
    std::optional<double> length(size_t item) const;

    // Moves the slot's video to `now`: binds a waiting instance at the slot's first call, then
    // uploads the frame due. Returns whether the picture changed.
    bool advance(const Slot& slot, double now);
    // For `render`: binds the slot like advance(), then seeks and waits for the exact frame on
    // screen at `now` (blocking, never in the play loop).
    Status show_exactly(const Slot& slot, double now);

    // When the slot's picture next changes by itself; nullopt when no frame is queued (the
    // decoder wakes the loop when one lands).
    std::optional<double> next_change(const Slot& slot, double now) const;
    // A picture is up for this slot.
    bool has_picture(const Slot& slot) const;
    // How much later than its timing the slot should end: a video heard through the sound card
    // follows that clock, which starts a buffer or two after the slot and may run a little slow,
    // so its last frames and samples come that much after the wall clock's end (at most 0.5 s;
    // less 0.1 s in which the next sound is queued to follow it gaplessly). Measured by
    // advance() while the sound plays, kept once it has all been heard.
    double end_delay(const Slot& slot) const;

    // Draws the slot's picture fitted on the canvas, over the background, with opacity `alpha`.
    void draw(const Slot& slot, Color background, double alpha);

    // Tells the figures that the slot's frame just drawn reached the screen at `now`.
    void presented(const Slot& slot, double now);

private:
    struct Instance;
    using SlotKey = std::pair<size_t, double>;  // item and start: one slot
    Instance* find(const Slot& slot) const;
    Instance* bind(const Slot& slot, double now);
    double media_time(const Instance& instance, const Slot& slot, double now) const;
    bool sound_ending() const;
    bool upload(Instance& instance, const VideoFrame& frame);

    SDL_Renderer* m_renderer;
    ScreenGeometry m_geometry;
    const Playlist& m_playlist;
    PlaybackStats* m_stats;
    AudioOutput* m_audio;
    std::optional<SlotKey> m_sounding;      // the slot on screen whose sound the output plays
    std::shared_ptr<AudioDecoder> m_sound;  // the sound last given to the output (may outlive its slot)
    std::map<size_t, std::unique_ptr<Instance>> m_waiting;
    std::map<SlotKey, std::unique_ptr<Instance>> m_playing;
    std::map<size_t, double> m_lengths;
};

}  // namespace signage
