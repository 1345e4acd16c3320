// The decode worker's owner (after Ladybird's VideoDataProvider): one thread per open video that
// decodes ahead, from the packets its file's Demuxer reads (shared with the audio decoder), into
// a small bounded queue of frames, and a render-thread side that
// takes the frame due at a presentation time without ever waiting for the decoder.
//
// Timeline: frame times are seconds from the start of the first play, so they keep growing when
// the file loops (play n starts at n × loop_period()). Within a run of frames they never go
// backwards; a seek() starts a new run at its target. End of stream is flow (finished(),
// end_time()), not an error; corrupt packets are logged (rate-limited) and skipped; a truncated
// file ends at its last good frame.
#pragma once

#include "playlist/base/error.h"
#include "player/media/decode_loop.h"
#include "player/media/demuxer.h"
#include "player/media/ffmpeg_handles.h"
#include "player/media/media_probe.h"
#include "player/media/rate_limit.h"
#include "player/video/video_codec.h"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace signage {

struct VideoFrame {
    FramePtr frame;        // the decoded picture; its buffers are reference-counted, so it outlives the decoder
    double time = 0;       // presentation time on the decoder's timeline, seconds
    double duration = 0;   // how long it is shown (from the stream; estimated when it does not say)
    int play = 0;          // which play of the file (0 = the first)
    double end() const { return time + duration; }
};

struct VideoDecoderOptions {
    int plays = 1;                         // times the file plays back to back; 0 = until closed
    // A trimmed play: each play starts `segment_start` seconds into the file and lasts `period`
    // on the timeline (frames past it are cut). Unset period: to the end of the file. The player
    // passes the audio decoder the same two values, so sound and picture loop together.
    double segment_start = 0;
    std::optional<double> period;
    size_t max_queued_frames = 8;          // decoded ahead of the presentation time
    // Memory bound over the frame count: 10 MiB is 3 frames of 1080p (100 ms at 30 fps, as ffplay
    // queues), 7 of 720p, 2 of 4K (the minimum); decoding runs far ahead of real time. Each 1080p
    // frame queued also keeps one more picture in FFmpeg's pool: ~3 MiB of peak RSS apiece.
    size_t max_queued_bytes = 10u << 20;
    // Until the render thread takes its first frame (an item opened ahead, waiting for its turn)
    // the queue holds only this many: enough to start without a black frame, and the waiting
    // decoder keeps few pictures alive next to the one playing.
    size_t max_queued_before_start = 1;
    // Decoder threads. 0: FFmpeg's choice (cores + 1 frame threads: the most throughput, for
    // `bench`). kPlaybackThreads: one thread up to 1080p30's pixel rate, FFmpeg's choice above.
    // Real time needs a fraction of one core there (1080p30 H.264: ~13 % on a 2-core 2026 box),
    // and frame threading costs ~20 % more CPU and ~3 more pictures (~20 MiB RSS) per decoder.
    static constexpr int kPlaybackThreads = -1;
    int threads = kPlaybackThreads;
    bool hardware = true;                  // [video] hwdec = auto: a GPU decoder when the machine has one
    VideoLimits limits;
    // Called on the worker thread when a frame lands in an empty queue and when the last play
    // ends: wakes the render loop's wait. Must not block (Waker::wake does not).
    std::function<void()> wake;
};

struct VideoDecoderStats {
    uint64_t frames_decoded = 0;    // out of the decoder, including those discarded below
    uint64_t frames_queued = 0;     // handed to the queue
    uint64_t frames_dropped = 0;    // due together with a later one in take_frame(): never shown
    uint64_t frames_discarded = 0;  // before a seek target, or with a timestamp that went backwards
    uint64_t corrupt_packets = 0;   // refused by the decoder; skipped
    uint64_t decode_errors = 0;
    int plays_finished = 0;
    // The codec is freed once every play has been decoded (its pictures and threads are ~20 MiB
    // at 1080p while the last frames are shown and the next item starts); a seek opens it again.
    bool codec_open = false;
    int codec_opens = 0;
    std::string decoder;  // which decoder and why: "h264 in software (hwdec = auto: …)" (DecoderChoice)
    // Why the file was refused at its first picture (empty: it was not). Partially decodable is
    // not playable: an error before the first picture, or a first picture the decoder had to
    // conceal or mark corrupt, ends the decoder with no frame (the item is skipped like a
    // broken file; `check` and the sync's probe report this reason).
    std::string refused;
};

class VideoDecoder {
public:
    // Opens the file (probe, limits, decoder) with a demuxer of its own and starts decoding the
    // first frames at once, so a video opened ahead of its turn is ready to show. Does file I/O:
    // call it off the render thread. Errors name the file.
    static Result<std::unique_ptr<VideoDecoder>> open(const std::string& path, VideoDecoderOptions options = {});
    // The same on a demuxer shared with the file's audio decoder (not started yet: the caller
    // starts it once every decoder is attached). Plays and segment_start are the demuxer's.
    static Result<std::unique_ptr<VideoDecoder>> open(std::shared_ptr<Demuxer> demuxer, VideoDecoderOptions options);
    ~VideoDecoder();
    VideoDecoder(const VideoDecoder&) = delete;
    VideoDecoder& operator=(const VideoDecoder&) = delete;

    const MediaInfo& info() const { return m_info; }
    const std::string& path() const { return m_info.path; }

    // --- render thread: none of these waits for the decoder (only a short lock) ---

    // The frame to show at `time`: the latest queued frame due by then, taken out of the queue
    // with every earlier one (those count as dropped). nullopt: nothing new is due — keep showing
    // the frame you have.
    std::optional<VideoFrame> take_frame(double time);
    // When the next queued frame is due (the render loop's next wake); nullopt when none is queued.
    std::optional<double> next_frame_time() const;
    // A frame is decoded and waiting: the item can start without a black frame.
    bool has_frame() const;
    // Every play has been decoded and every frame taken.
    bool finished() const;
    // When the last frame of the last play stops being shown; known once decoding reached it.
    std::optional<double> end_time() const;
    // One play's length on the timeline: the video stream's duration as the container states it,
    // else what decoding measured (0 until then). The same value in every process, so `render
    // --at` and `play` agree on which loop a time falls in.
    double loop_period() const;

    // Asynchronous: forgets queued frames and decodes from `time` on the timeline; the first
    // frame out is the one on screen at `time` (the latest starting at or before it).
    void seek(double time);

    // --- blocking, for `render`, `bench` and tests; never in the play loop ---

    // The next frame in order (nothing dropped), waiting up to `timeout`; nullopt at the end or
    // on timeout (finished() tells which).
    std::optional<VideoFrame> wait_frame(std::chrono::milliseconds timeout);

    VideoDecoderStats stats() const;

    // Waits (up to `timeout`) until the first picture is decoded or the decoder has ended; the
    // reason when the file was refused at its first picture (stats().refused), else nullopt.
    // Takes no frame. For the loader thread, never the play loop.
    std::optional<std::string> first_picture_verdict(std::chrono::milliseconds timeout);

private:
    explicit VideoDecoder(VideoDecoderOptions options);

    // Worker thread.
    void run();
    void seek_file(double time);
    int64_t position_at(double time);
    bool restart_play();
    bool past_period(double timeline_time) const;
    std::vector<VideoFrame> decode_step();
    void accept(std::vector<VideoFrame>& out);
    void emit(VideoFrame frame, std::vector<VideoFrame>& out);
    bool end_of_play(std::vector<VideoFrame>& out);
    void note_problem(const std::string& what);
    bool refuse_damaged_start(const AVFrame& first);
    bool ensure_codec();
    void release_codec();
    bool has_room() const;  // m_mutex held

    VideoDecoderOptions m_options;
    MediaInfo m_info;
    size_t m_frame_bytes = 0;
    std::atomic<bool> m_stop{false};  // read by FFmpeg's interrupt callback too

    MediaLogTag m_log_tag;  // names the file in FFmpeg's log lines; outlives m_codec

    std::shared_ptr<Demuxer> m_demuxer;  // reads the file; shared with the audio decoder
    std::unique_ptr<DecodeLoop> m_loop;

    // Worker-only state.
    CodecContextPtr m_codec;         // null after every play was decoded (release_codec)
    VideoCodecOptions m_codec_options;
    FramePtr m_decoded;
    int m_stream = -1;
    AVRational m_time_base{1, 1};
    int64_t m_start_pts = 0;
    double m_offset = 0;             // timeline time where the current play starts
    int m_play = 0;
    double m_last_file_time = -1;    // of the last frame decoded in this play, file-relative
    double m_last_duration = 0;
    double m_last_emitted = -1e300;  // timeline time of the last frame handed on
    double m_last_emitted_end = 0;
    bool m_play_cut = false;         // the current play reached its period: loop or end now
    std::optional<double> m_seek_target;    // while decoding forward to a seek target
    std::optional<VideoFrame> m_candidate;  // the latest frame at or before the seek target
    RateLimit m_problem_limit;
    std::string m_first_problem;     // the first problem noted before any frame came out
    std::string m_refused;           // set once by refuse_damaged_start()
    struct {
        bool ended = false;
        double end_time = 0;
    } m_step;  // what the current decode_step() found besides frames
    struct {
        uint64_t frames_decoded = 0, frames_discarded = 0;
        int plays_finished = 0;
        double measured_period = 0;
    } m_counts;  // published into m_stats after each step

    // Shared with the render thread, under m_mutex.
    mutable std::mutex m_mutex;
    std::condition_variable m_work;   // the worker waits for room, a seek or stop
    std::condition_variable m_ready;  // wait_frame() waits for frames or the end
    std::deque<VideoFrame> m_queue;
    bool m_started = false;           // the render thread has taken a frame (max_queued_before_start)
    std::optional<double> m_seek_request;
    uint64_t m_generation = 0;        // bumped by seek(): results of older work are dropped
    bool m_at_end = false;
    std::optional<double> m_end_time;
    double m_measured_period = 0;
    VideoDecoderStats m_stats;

    std::thread m_thread;
};

}  // namespace signage
