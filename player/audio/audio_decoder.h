// The audio of one media item: a worker thread that takes the audio stream's packets from the
// file's Demuxer (shared with the video decoder: the file is opened and read once), decodes,
// resamples with swresample to the output's rate and channel layout (5.1 → stereo downmix,
// 44.1 → 48 kHz, mono, planar formats) and fills a bounded lock-free ring (~0.5 s) that AudioOutput's callback empties. It is the player's master
// clock: position() is the timeline time being heard.
//
// Timeline (the video decoder's): seconds from the start of the first play; media time 0 is the
// video stream's start, so audio and video of one file line up. Play n occupies exactly
// [n × period, (n+1) × period) — in frames, from round(n × period × rate) — starting each time at
// `segment_start` in the file: audio longer than the period is cut, shorter is padded with
// silence, so loops never drift. Timestamps place the samples: a gap in the stream is filled with
// silence, overlapping samples are dropped (beyond 20 ms of jitter). Corrupt packets are logged
// with the file name (rate-limited) and skipped; if the audio cannot be decoded at all the
// timeline still runs, silent, so the video keeps its clock.
//
// Underruns: when the callback wants samples the worker has not produced (and it is not at the
// end) it gets silence and the timeline stalls — no sample is lost, and video following
// position() waits with it. Before the first sample has been handed over this is waiting, not an
// underrun: open ahead (ready()) and set the source when ready.
#pragma once

#include "playlist/base/error.h"
#include "player/audio/audio_ring.h"
#include "player/audio/audio_source.h"
#include "player/audio/heard_clock.h"
#include "player/media/decode_loop.h"
#include "player/media/demuxer.h"
#include "player/media/ffmpeg_handles.h"
#include "player/media/media_probe.h"
#include "player/media/rate_limit.h"

#include <SDL.h>

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace signage {

struct AudioDecoderOptions {
    int plays = 1;              // plays back to back; 0 = until closed
    double segment_start = 0;   // seconds into the file where every play starts (the `start` trim)
    // Seconds of one play on the timeline (pass the video decoder the same value). 0: the video
    // stream's duration less segment_start, as VideoDecoder::loop_period() would have it; when
    // the file states no duration either, each play lasts as long as its audio.
    double period = 0;
    double volume = 1;          // this item's, 0..1
    double buffer_seconds = 0.5;  // decoded ahead; the ring's size
    VideoLimits limits;
    // Called on the worker thread, never blocking: once when the first buffer is full (ready()),
    // and when the last sample has been handed to the device (finished()).
    std::function<void()> wake;
};

struct AudioDecoderStats {
    uint64_t frames_played = 0;    // timeline frames handed to the device (a frame = a sample per channel)
    uint64_t underruns = 0;        // callbacks that got fewer frames than they wanted, not at the end
    uint64_t underrun_frames = 0;  // silence played in their place (the timeline stalled meanwhile)
    uint64_t frames_decoded = 0;   // samples per channel out of the decoder, at the file's rate
    uint64_t silence_frames = 0;   // put on the timeline for gaps, the padding of short plays, broken audio
    uint64_t corrupt_packets = 0;  // refused by the decoder; skipped
    uint64_t decode_errors = 0;
    int plays_finished = 0;        // plays fully written to the ring
    // The output frame (AudioPullTiming::device_frame) at which timeline frame 0 was mixed.
    std::optional<uint64_t> start_device_frame;
};

class AudioDecoder final : public AudioSource {
public:
    // Opens the file's audio (errors name the file; a file without audio is one) for `target`
    // (AudioOutput::format()) and starts decoding at once, so an item opened ahead is ready.
    // Does file I/O: call it off the render thread.
    static Result<std::shared_ptr<AudioDecoder>> open(const std::string& path, const AudioFormat& target,
                                                      AudioDecoderOptions options = {});
    // The same on a demuxer shared with the file's video decoder (not started yet: the caller
    // starts it once every decoder is attached). Plays and segment_start are the demuxer's. The
    // decoder keeps the demuxer alive, so the sound can outlive the picture's decoder.
    static Result<std::shared_ptr<AudioDecoder>> open(std::shared_ptr<Demuxer> demuxer, const AudioFormat& target,
                                                      AudioDecoderOptions options);
    ~AudioDecoder() override;
    AudioDecoder(const AudioDecoder&) = delete;
    AudioDecoder& operator=(const AudioDecoder&) = delete;

    const MediaInfo& info() const { return m_info; }
    const std::string& path() const { return m_info.path; }

    // --- any thread, never waiting ---

    // The timeline time (seconds) of the sample being heard now; 0 until the output has taken the
    // first sample; never goes backwards. Stops at the end (and where the output left it).
    double position() const;
    double position_at(std::chrono::steady_clock::time_point now) const;
    double period() const { return m_period; }  // one play's length on the timeline; 0 when unknown
    // plays × period: where the timeline ends; nullopt while unknown (plays = 0, no period).
    std::optional<double> end_time() const;
    bool ready() const { return m_ready.load(); }        // the ring was filled once (or all is decoded)
    bool started() const { return m_started.load(); }    // the output has taken the first sample
    bool finished() const;                               // every sample has been handed to the output
    AudioDecoderStats stats() const;

    // --- AudioSource: SDL's audio thread ---
    int pull(float* out, int frames, const AudioPullTiming& timing) override;
    bool exhausted() const override;

private:
    AudioDecoder(const AudioFormat& target, AudioDecoderOptions options);

    // Worker thread.
    void run();
    void run_play(int play);
    bool begin_play(int play);
    bool decode_play();  // true when the play was cut at its length (its end not read)
    void give_up();
    void accept_frame(AVFrame* frame);
    bool configure_resampler(const AVFrame* frame);
    void flush_resampler();
    bool push(const float* samples, uint64_t frames);  // nullptr: silence; false on stop
    bool wait_for_room();
    void wait_until_played();
    void note_problem(const std::string& what);
    uint64_t play_start_frame(int play) const;

    AudioFormat m_target;
    AudioDecoderOptions m_options;
    MediaInfo m_info;
    double m_period = 0;
    float m_volume = 1;
    std::atomic<bool> m_stop{false};  // read by FFmpeg's interrupt callback too
    MediaLogTag m_log_tag;            // names the file in FFmpeg's log lines; outlives m_codec

    std::shared_ptr<Demuxer> m_demuxer;  // reads the file; shared with the video decoder
    std::unique_ptr<DecodeLoop> m_loop;

    // Worker-only state.
    CodecContextPtr m_codec;
    SwrContextPtr m_swr;
    FramePtr m_frame;
    int m_stream = -1;
    AVRational m_time_base{1, 1};
    double m_origin = 0;            // file seconds of media time 0 (the video stream's start)
    struct {
        int format = -1, rate = 0;
        AVChannelLayout layout{};
    } m_swr_input;                  // what m_swr was configured for
    std::vector<float> m_converted;
    double m_expected = 0;          // media time of the next input sample this play
    bool m_play_began = false;      // a sample of this play has been placed
    uint64_t m_play_written = 0;    // frames of this play written
    uint64_t m_play_length = 0;     // frames in this play (UINT64_MAX: until its audio ends)
    bool m_broken = false;          // decoding gave up: silence from here on
    bool m_demuxer_done = false;    // the demuxer said no play follows this one
    RateLimit m_problem_limit;

    // Worker → audio thread.
    AudioRing m_ring;
    HeardClock m_clock;
    std::atomic<bool> m_produced_all{false};   // the ring holds the timeline's last frame
    std::atomic<bool> m_worker_waiting{false}; // the worker sleeps on m_room until the ring half empties
    std::unique_ptr<SDL_sem, void (*)(SDL_sem*)> m_room{nullptr, SDL_DestroySemaphore};
    std::atomic<bool> m_ready{false};
    std::atomic<bool> m_started{false};
    std::atomic<bool> m_wake_on_empty{false};
    mutable std::atomic<double> m_last_position{0};

    // Counters (relaxed atomics: the worker and the audio thread write, anyone reads).
    std::atomic<uint64_t> m_underruns{0}, m_underrun_frames{0};
    std::atomic<uint64_t> m_frames_decoded{0}, m_silence_frames{0};
    std::atomic<int> m_plays_finished{0};
    std::atomic<int64_t> m_start_device_frame{-1};

    std::thread m_thread;
};

}  // namespace signage
