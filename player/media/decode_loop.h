// The send-packet / receive-frame loop of every decoder, video and audio: packets come from the
// file's Demuxer, frames go back to the caller one at a time. End of a play is flow (the codec is
// drained at the demuxer's marker, its last frames come out, then EndOfPlay); a corrupt packet or
// a decoding error is counted, logged (the caller's rate-limited note) and skipped; a long run of
// them without a frame means garbage, and the loop gives up.
#pragma once

#include "player/media/demuxer.h"
#include "player/media/ffmpeg_handles.h"

#include <atomic>
#include <cstdint>
#include <functional>
#include <string>

namespace signage {

class DecodeLoop {
public:
    enum class Step {
        Frame,      // `frame` holds a decoded frame
        EndOfPlay,  // the codec is drained: every frame of this play is out (last_play() says if one follows)
        Seek,       // another decoder moved the demuxer: what follows is somewhere else
        GaveUp,     // too many errors in a row (already logged)
        Stopped,    // closing, or the decoder was detached
    };
    // A run of this many failures without a frame ends the decoding.
    static constexpr int kMaxConsecutiveErrors = 500;

    // `note` logs a problem (the caller names the file and rate-limits); `giving_up` ends the
    // give-up message ("ending at the last good frame").
    DecodeLoop(Demuxer& demuxer, int stream, std::function<void(const std::string&)> note, std::string giving_up);

    Step next(AVCodecContext* codec, AVFrame* frame, const std::atomic<bool>& stop);
    // After the codec was flushed (a new play or a seek): no longer draining, error run cleared.
    void reset();
    bool last_play() const { return m_last; }

    std::atomic<uint64_t> corrupt_packets{0};  // refused by the decoder; skipped
    std::atomic<uint64_t> decode_errors{0};

private:
    Demuxer& m_demuxer;
    int m_stream;
    std::function<void(const std::string&)> m_note;
    std::string m_giving_up;
    PacketPtr m_packet;
    bool m_draining = false;
    bool m_last = false;
    int m_consecutive_errors = 0;
};

}  // namespace signage
