#include "player/media/decode_loop.h"

namespace signage {

DecodeLoop::DecodeLoop(Demuxer& demuxer, int stream, std::function<void(const std::string&)> note,
                       std::string giving_up)
    : m_demuxer(demuxer), m_stream(stream), m_note(std::move(note)), m_giving_up(std::move(giving_up))
{
}

void DecodeLoop::reset()
{
    m_draining = false;
    m_last = false;
    m_consecutive_errors = 0;
}

DecodeLoop::Step DecodeLoop::next(AVCodecContext* codec, AVFrame* frame, const std::atomic<bool>& stop)
{
    while (!stop) {
        int rc = avcodec_receive_frame(codec, frame);
        if (rc == 0) {
            m_consecutive_errors = 0;
            return Step::Frame;
        }
        if (rc == AVERROR_EOF)
            return Step::EndOfPlay;
        if (rc != AVERROR(EAGAIN)) {
            ++decode_errors;
            m_note("decoding error: " + av_error_text(rc));
            if (++m_consecutive_errors > kMaxConsecutiveErrors) {
                m_note("too many decoding errors in a row; " + m_giving_up);
                return Step::GaveUp;
            }
            continue;
        }
        if (m_draining)
            return Step::EndOfPlay;  // a drained decoder answers EOF, never "more input"; the end anyway
        bool last = false;
        switch (m_demuxer.pop(m_stream, m_packet, &last)) {
        case Demuxer::Pop::Stopped:
            return Step::Stopped;
        case Demuxer::Pop::Seek:
            return Step::Seek;
        case Demuxer::Pop::EndOfPlay:
            m_last = last;
            avcodec_send_packet(codec, nullptr);  // drain: the frames still inside come out
            m_draining = true;
            continue;
        case Demuxer::Pop::Packet:
            break;
        }
        rc = avcodec_send_packet(codec, m_packet.get());
        if (rc < 0 && rc != AVERROR(EAGAIN)) {
            ++corrupt_packets;
            m_note("corrupt packet at byte " + std::to_string(m_packet->pos) + " skipped: " + av_error_text(rc));
            if (++m_consecutive_errors > kMaxConsecutiveErrors) {
                m_note("too many corrupt packets in a row; " + m_giving_up);
                m_packet.reset();
                return Step::GaveUp;
            }
        }
        m_packet.reset();
    }
    return Step::Stopped;
}

}  // namespace signage
