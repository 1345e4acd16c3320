// One reader per media file (after ffplay's read_thread): opens the file once, reads its packets
// on its own thread and routes each to the queue of the decoder that takes its stream — the
// video decoder and the audio decoder of one item share it. Loops, trims and seeks move this one
// reader; the decoders learn of them through markers in their queues.
//
// Plays: the demuxer reads the file `plays` times (0: until closed), each from `segment_start`
// (less a little preroll for an audio decoder's priming, at the key frame at or before it). After
// each play's last packet every queue gets an end-of-play marker; the decoders drain their codec
// there and keep their own timeline arithmetic. A decoder that reaches its trim's end early says
// so (skip_play): its packets up to the marker are dropped, and once every decoder has said so the
// rest of the play is not read at all.
//
// Bounds: a queue is "enough" at kEnoughPackets packets spanning kEnoughSeconds; the reader waits
// while every wanting queue has enough. A file whose streams are interleaved far apart makes one
// queue grow while the other decoder waits for its stream: it may grow up to kMaxQueuedBytes over
// all queues; beyond that, while a decoder starves, the packets of the others are dropped (logged)
// rather than queued — never a deadlock (the starving decoder is the clock the others follow),
// never unbounded memory.
#pragma once

#include "playlist/base/error.h"
#include "player/media/ffmpeg_handles.h"
#include "player/media/media_probe.h"
#include "player/media/rate_limit.h"

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

namespace signage {

struct DemuxerOptions {
    int plays = 1;              // times the file is read back to back; 0 = until closed
    double segment_start = 0;   // seconds after the video stream's start where every play begins
    VideoLimits limits;
};

class Demuxer {
public:
    static constexpr size_t kEnoughPackets = 16;
    static constexpr double kEnoughSeconds = 0.5;
    static constexpr size_t kMaxQueuedBytes = 16u << 20;
    // Plays start this far before the trim when an audio decoder reads, so its codec's overlap
    // (AAC's MDCT window) is primed and the first kept sample is right.
    static constexpr double kAudioPrerollSeconds = 0.1;

    // Opens and probes the file (errors name it). Nothing is read until start(). Does file I/O.
    static Result<std::shared_ptr<Demuxer>> open(const std::string& path, DemuxerOptions options = {});
    ~Demuxer();
    Demuxer(const Demuxer&) = delete;
    Demuxer& operator=(const Demuxer&) = delete;

    const MediaInfo& info() const { return m_info; }
    const std::string& path() const { return m_info.path; }
    const DemuxerOptions& options() const { return m_options; }
    // Codec parameters and time base of a stream; fixed once open.
    const AVStream& stream(int index) const { return *m_format->streams[index]; }

    // Before start(): a decoder will take this stream's packets. Streams nobody attached are
    // skipped inside FFmpeg's demuxer.
    void attach(int stream);
    // Starts the reader thread (positioned at the first play's start). Idempotent.
    void start();

    // --- a decoder's worker thread, for its own stream ---
    enum class Pop { Packet, EndOfPlay, Seek, Stopped };
    // The next item of the stream's queue, waiting for it. Packet: `packet` holds it. EndOfPlay:
    // the play's packets are all out (`last`: no play follows). Seek: another decoder moved the
    // reader (seek()); what follows starts at the new place. Stopped: detached or closing.
    Pop pop(int stream, PacketPtr& packet, bool* last = nullptr);
    // The decoder is done with the play it is in (its trim's end): drop its packets up to the
    // play's end marker, which pop() then consumes silently.
    void skip_play(int stream);
    // The decoder takes no more packets (closing, finished, gave up); wakes its pop().
    void detach(int stream);
    // Repositions the reader: every queue is emptied, `stream`'s decoder gets packets from the key
    // frame at or before `target` (in the stream's time base) counted as play `play`; the other
    // decoders get a Seek marker first. Asynchronous.
    void seek(int stream, int64_t target, int play);

    // Demuxers alive in the process (a test hook: a video with sound playing opens one).
    static long live_count();

private:
    struct Item {
        Pop kind = Pop::Packet;     // Packet, EndOfPlay or Seek
        int play = 0;               // the play it belongs to
        bool last = false;          // EndOfPlay: no play follows
        PacketPtr packet;
    };
    struct Queue {
        bool attached = false;
        bool detached = false;
        std::deque<Item> items;
        size_t bytes = 0;
        int64_t duration = 0;             // of the packets queued, in the stream's time base
        size_t packets = 0;
        int popped_play = 0;              // the play the decoder is in
        std::optional<int> skipping;      // skip_play(): dropping packets of this play
        bool waiting = false;             // pop() waits on an empty queue: it starves
        AVRational time_base{1, 1};
        bool live() const { return attached && !detached; }
    };

    explicit Demuxer(DemuxerOptions options);
    void run();
    bool enough(const Queue& q) const;
    bool wants_packets() const;   // m_mutex held
    bool starving() const;        // m_mutex held
    bool all_skipping() const;    // m_mutex held
    void end_play(uint64_t serial);  // reader thread
    void clear_locked(Queue& q);
    bool rewind(int play);           // reader thread, no lock
    void note_problem(const std::string& what);

    DemuxerOptions m_options;
    MediaInfo m_info;
    FormatContextPtr m_format;
    std::atomic<bool> m_stop{false};  // read by FFmpeg's interrupt callback too
    int m_seek_stream = -1;           // the stream plays are positioned by (video when read)
    bool m_audio_read = false;
    int64_t m_origin_pts = 0;         // media time 0: the video stream's start, in its time base
    AVRational m_origin_time_base{1, 1};
    uint64_t m_dropped = 0;           // packets dropped at the byte cap (reader thread)
    RateLimit m_problem_limit;

    mutable std::mutex m_mutex;
    std::condition_variable m_wake_reader;
    std::condition_variable m_wake_decoders;
    std::deque<Queue> m_queues;       // by stream index
    size_t m_total_bytes = 0;
    int m_play = 0;                   // the play being read
    bool m_play_read_any = false;     // a packet was read in this play
    bool m_finished = false;          // every play read; waits for a seek or the end
    struct SeekRequest {
        int stream;
        int64_t target;
        int play;
    };
    std::optional<SeekRequest> m_seek;
    uint64_t m_serial = 0;            // bumped by seek(): a packet read before it is dropped
    bool m_started = false;
    std::thread m_thread;
};

}  // namespace signage
