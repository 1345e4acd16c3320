// The loader thread's owner: loads items off the render thread (composing slides: decoding, text
// layout, scaling; opening videos) and hands the results back. The render thread never waits
// on it while playing.
#pragma once

#include "playlist/timeline/playlist.h"
#include "playlist/timeline/sequencer.h"
#include "player/render/slide_composer.h"
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
    // Read each version of a file through once before its first play and refuse it when it is
    // cut short or damaged (scan_media_packets_once). For a playlist played where it is: files
    // from a synced share were read through by the sync's probe before they were taken.
    bool read_through = false;
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

// What a load produces: a picture (a slide) or an open video.
struct Loaded {
    SurfacePtr picture;
    OpenedVideo video;
};
// The work of loading one item, run on the loader thread; each item layer brings its own (the
// loader does not ask what kind of item it is). The composer belongs to the loader thread.
using LoadJob = std::function<Result<Loaded>(SlideComposer& composer)>;

class ContentLoader {
public:
    // `rotation` (0, 90, 180, 270) turns finished pictures to the screen's orientation here, off
    // the render thread, so drawing a rotated screen is a plain copy.
    ContentLoader(SlideComposer composer, double retry_after, int rotation, std::function<void()> wake);
    ~ContentLoader();
    ContentLoader(const ContentLoader&) = delete;
    ContentLoader& operator=(const ContentLoader&) = delete;

    // Declares how `key` is loaded and how the log names it; before any request for it.
    void add(size_t key, std::string name, LoadJob job);

    // Asks for a load; repeated asks are free. `now` decides whether a failed load's retry time
    // has come.
    void request(size_t key, double now);
    // Ready: a result is waiting or was taken; Failed: broken and not yet due for a retry;
    // Pending: asked for and loading, or not asked for (yet, or again).
    Readiness state(size_t key, double now) const;
    // Hands over a finished picture (once); nullptr if none is waiting.
    SurfacePtr take(size_t key);
    // Hands over an open video (once; it is already decoding its first frames). The entry is
    // then forgotten, so asking again opens a second decoder: the next play of a video that
    // follows itself.
    OpenedVideo take_video(size_t key);
    // Lets the loader forget a finished result that will not be needed soon (memory).
    void release(size_t key);
    // Blocks until the load is finished or failed (for `render`, never for `play`).
    Readiness wait(size_t key, double now);

private:
    enum class State { Queued, Working, Done, Taken, Failed };
    struct Entry {
        State state = State::Queued;
        Loaded result;
        std::string error;
        double failed_at = 0;
    };
    struct Work {
        std::string name;
        LoadJob job;
    };

    void run();
    Result<Loaded> load(const Work& work);

    SlideComposer m_composer;  // used by the loader thread only
    double m_retry_after;
    int m_rotation;
    std::function<void()> m_wake;

    mutable std::mutex m_mutex;
    std::condition_variable m_changed;
    std::deque<size_t> m_queue;
    std::map<size_t, Work> m_work;
    std::map<size_t, Entry> m_entries;
    double m_last_now = 0;
    bool m_stop = false;
    std::thread m_thread;
};

}  // namespace signage
