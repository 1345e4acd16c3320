// The loader thread's owner: composes slides off the render thread (decoding, text layout,
// scaling) and hands finished pictures back. The render thread never waits on it while playing.
#pragma once

#include "playlist/playlist.h"
#include "playlist/sequencer.h"
#include "player/slide_composer.h"
#include "player/audio/audio_decoder.h"
#include "player/video/video_decoder.h"

#include <condition_variable>
#include <deque>
#include <functional>
#include <map>
#include <mutex>
#include <thread>

namespace signage {

// How the loader opens video items (from player.ini).
struct VideoSettings {
    VideoLimits limits;
    bool hardware = true;  // [video] hwdec = auto
    // The audio device's format when the player has one (not muted); each video item with sound
    // then gets an AudioDecoder resampling to it.
    std::optional<AudioFormat> audio;
    // Called by decoder threads when a frame lands in an empty queue (wakes the render loop).
    std::function<void()> wake;
};

// The decoding options an item asks for: its trims, its loops (or endless when `duration` cuts
// it), and the settings of the player.
VideoDecoderOptions video_options_for(const PlaylistItem& item, const VideoSettings& settings);

// A video item opened for one play: its picture, and its sound when it has some and plays it.
// The file is opened once: both decoders take their packets from one Demuxer, which each holds
// (shared), so the sound may outlive the picture's decoder (VideoLayers keeps the last sound).
struct OpenedVideo {
    std::unique_ptr<VideoDecoder> video;
    std::shared_ptr<AudioDecoder> audio;  // nullptr: silent (muted, no audio track, no device)
};

class ContentLoader {
public:
    // The fallback slide's key in requests and results.
    static constexpr size_t kFallback = static_cast<size_t>(-1);

    // `rotation` (0, 90, 180, 270) turns finished pictures to the screen's orientation here, off
    // the render thread, so drawing a rotated screen is a plain copy.
    ContentLoader(SlideComposer composer, Playlist playlist, double retry_after, int rotation,
                  std::function<void()> wake, VideoSettings video = {});
    ~ContentLoader();
    ContentLoader(const ContentLoader&) = delete;
    ContentLoader& operator=(const ContentLoader&) = delete;

    // Asks for an item to be composed; repeated asks are free. `now` decides whether a failed
    // item's retry time has come.
    void request(size_t item, double now);
    // Ready: a picture is waiting or was taken; Failed: broken and not yet due for a retry.
    Readiness readiness(size_t item, double now);
    // Hands over a finished picture (once); nullptr if none is waiting.
    SurfacePtr take(size_t item);
    // Video items are opened, not composed: hands over the open decoder (once; it is already
    // decoding its first frames). The entry is then forgotten, so asking for the item again
    // opens a second decoder — the next play of a video that follows itself.
    OpenedVideo take_video(size_t item);
    // Lets the loader forget a finished picture that will not be needed soon (memory).
    void release(size_t item);
    // Blocks until the item is finished or failed (for `render`, never for `play`).
    Readiness wait(size_t item, double now);

    const Playlist& playlist() const { return m_playlist; }

private:
    enum class State { Queued, Working, Done, Taken, Failed };
    struct Entry {
        State state = State::Queued;
        SurfacePtr picture;
        OpenedVideo video;
        std::string error;
        double failed_at = 0;
    };

    void run();
    Result<SurfacePtr> compose(size_t item);
    Result<OpenedVideo> open_video(size_t item);
    bool is_video(size_t item) const;

    SlideComposer m_composer;  // used by the loader thread only
    Playlist m_playlist;
    double m_retry_after;
    int m_rotation;
    std::function<void()> m_wake;
    VideoSettings m_video;

    std::mutex m_mutex;
    std::condition_variable m_changed;
    std::deque<size_t> m_queue;
    std::map<size_t, Entry> m_entries;
    double m_last_now = 0;
    bool m_stop = false;
    std::thread m_thread;
};

}  // namespace signage
