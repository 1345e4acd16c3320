#include "player/video/video_decoder.h"

#include "playlist/base/log.h"
#include "player/video/video_codec.h"

extern "C" {
#include <libavutil/imgutils.h>
}

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace signage {

namespace {

// Timestamps closer than this are the same instant (1 µs; frame periods are milliseconds).
constexpr double kEpsilon = 1e-6;
// kPlaybackThreads: up to this many pixels per second one decoder thread (1080p at 30.x fps).
constexpr double kOneThreadPixelRate = 1920.0 * 1088 * 31;

std::string seconds_text(double t)
{
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%.3f s", t);
    return buffer;
}

}  // namespace

VideoDecoder::VideoDecoder(VideoDecoderOptions options) : m_options(std::move(options)) {}

Result<std::unique_ptr<VideoDecoder>> VideoDecoder::open(const std::string& path, VideoDecoderOptions options)
{
    auto demuxer = Demuxer::open(path, DemuxerOptions{options.plays, options.segment_start, options.limits});
    if (!demuxer)
        return demuxer.error();
    auto decoder = open(*demuxer, std::move(options));
    if (decoder)
        (*demuxer)->start();
    return decoder;
}

Result<std::unique_ptr<VideoDecoder>> VideoDecoder::open(std::shared_ptr<Demuxer> demuxer, VideoDecoderOptions options)
{
    options.plays = demuxer->options().plays;
    options.segment_start = demuxer->options().segment_start;
    std::unique_ptr<VideoDecoder> decoder(new VideoDecoder(std::move(options)));
    VideoDecoder& d = *decoder;
    d.m_demuxer = std::move(demuxer);
    d.m_info = d.m_demuxer->info();
    const std::string& path = d.m_info.path;
    const VideoStreamInfo& video = *d.m_info.video;
    const AVStream& stream = d.m_demuxer->stream(video.index);

    VideoCodecOptions codec_options;  // the decoder's setup, hardware and limits: video_codec.cpp
    codec_options.hwdec = d.m_options.hardware ? HwDecode::Auto : HwDecode::Off;
    codec_options.threads = d.m_options.threads;
    if (codec_options.threads == VideoDecoderOptions::kPlaybackThreads) {
        const double rate = video.frame_rate > 0 ? video.frame_rate : 30;
        const bool one_core_is_plenty = static_cast<double>(video.width) * video.height * rate <= kOneThreadPixelRate;
        codec_options.threads = one_core_is_plenty ? 1 : 0;
    }
    codec_options.limits = d.m_options.limits;
    d.m_log_tag.path = path;
    auto codec = open_video_codec(path, stream, codec_options, &d.m_log_tag);
    if (!codec)
        return codec.error();
    d.m_codec = std::move(codec->context);
    d.m_codec_options = codec_options;
    d.m_stats.decoder = codec->choice.describe(codec_options.hwdec);
    d.m_stats.codec_open = true;
    d.m_stats.codec_opens = 1;
    d.m_decoded = make_frame();
    if (!d.m_decoded)
        return Error{path, 0, "out of memory setting up the decoder"};

    d.m_stream = video.index;
    d.m_time_base = stream.time_base;
    d.m_start_pts = stream.start_time == AV_NOPTS_VALUE ? 0 : stream.start_time;
    int bytes = av_image_get_buffer_size(video.pixel_format, video.width, video.height, 1);
    d.m_frame_bytes = bytes > 0 ? static_cast<size_t>(bytes) : static_cast<size_t>(video.width) * video.height * 3 / 2;
    d.m_loop = std::make_unique<DecodeLoop>(*d.m_demuxer, d.m_stream, [&d](const std::string& what) { d.note_problem(what); },
                                            "ending at the last good frame");
    d.m_demuxer->attach(d.m_stream);
    log::debug("video " + path + ": " + d.m_info.describe());
    if (d.m_options.segment_start > 0)
        d.position_at(0);  // the demuxer starts the first play at the trim's key frame
    d.m_thread = std::thread([&d] { d.run(); });
    return decoder;
}

VideoDecoder::~VideoDecoder()
{
    {
        std::lock_guard lock(m_mutex);
        m_stop = true;
    }
    m_work.notify_all();
    m_ready.notify_all();
    if (m_demuxer && m_stream >= 0)
        m_demuxer->detach(m_stream);  // wakes the worker out of a wait for packets
    if (m_thread.joinable())
        m_thread.join();
}

// --- render thread ---

std::optional<VideoFrame> VideoDecoder::take_frame(double time)
{
    std::vector<VideoFrame> dropped;  // freed after the lock is released
    std::optional<VideoFrame> due;
    bool starting = false;  // the queue may grow past max_queued_before_start from now on
    {
        std::lock_guard lock(m_mutex);
        starting = !m_started;
        m_started = true;
        while (!m_queue.empty() && m_queue.front().time <= time + kEpsilon) {
            if (due) {
                dropped.push_back(std::move(*due));
                ++m_stats.frames_dropped;
            }
            due = std::move(m_queue.front());
            m_queue.pop_front();
        }
    }
    if (due || starting)
        m_work.notify_one();
    return due;
}

std::optional<double> VideoDecoder::next_frame_time() const
{
    std::lock_guard lock(m_mutex);
    if (m_queue.empty())
        return std::nullopt;
    return m_queue.front().time;
}

bool VideoDecoder::has_frame() const
{
    std::lock_guard lock(m_mutex);
    return !m_queue.empty();
}

bool VideoDecoder::finished() const
{
    std::lock_guard lock(m_mutex);
    return m_at_end && m_queue.empty();
}

std::optional<double> VideoDecoder::end_time() const
{
    std::lock_guard lock(m_mutex);
    return m_end_time;
}

double VideoDecoder::loop_period() const
{
    if (m_options.period)
        return *m_options.period;
    if (m_info.video->duration > 0)
        return std::max(0.0, m_info.video->duration - m_options.segment_start);
    std::lock_guard lock(m_mutex);
    return m_measured_period;
}

void VideoDecoder::seek(double time)
{
    std::deque<VideoFrame> stale;
    {
        std::lock_guard lock(m_mutex);
        stale.swap(m_queue);
        m_seek_request = time;
        ++m_generation;
        m_at_end = false;
        m_end_time.reset();
    }
    m_work.notify_one();
}

std::optional<VideoFrame> VideoDecoder::wait_frame(std::chrono::milliseconds timeout)
{
    std::unique_lock lock(m_mutex);
    if (!m_started) {
        m_started = true;
        m_work.notify_one();  // the queue may grow past max_queued_before_start now
    }
    m_ready.wait_for(lock, timeout, [&] { return !m_queue.empty() || m_at_end || m_stop; });
    if (m_queue.empty())
        return std::nullopt;
    VideoFrame frame = std::move(m_queue.front());
    m_queue.pop_front();
    lock.unlock();
    m_work.notify_one();
    return frame;
}

std::optional<std::string> VideoDecoder::first_picture_verdict(std::chrono::milliseconds timeout)
{
    std::unique_lock lock(m_mutex);
    m_ready.wait_for(lock, timeout, [&] { return !m_queue.empty() || m_at_end || m_stop; });
    if (m_stats.refused.empty())
        return std::nullopt;
    return m_stats.refused;
}

VideoDecoderStats VideoDecoder::stats() const
{
    std::lock_guard lock(m_mutex);
    return m_stats;
}

// --- worker thread ---

bool VideoDecoder::has_room() const
{
    size_t by_bytes = m_frame_bytes ? m_options.max_queued_bytes / m_frame_bytes : m_options.max_queued_frames;
    // Two frames at least, or a frame could never be shown while its successor decodes.
    size_t limit = std::max<size_t>(2, std::min(m_options.max_queued_frames, by_bytes));
    if (!m_started)
        limit = std::max<size_t>(1, std::min(limit, m_options.max_queued_before_start));
    return m_queue.size() < limit;
}

void VideoDecoder::run()
{
    for (;;) {
        std::optional<double> seek_to;
        uint64_t generation = 0;
        {
            std::unique_lock lock(m_mutex);
            m_work.wait(lock, [&] { return m_stop || m_seek_request || (!m_at_end && has_room()); });
            if (m_stop)
                return;
            seek_to = m_seek_request;
            m_seek_request.reset();
            generation = m_generation;
        }
        if (seek_to) {
            seek_file(*seek_to);
            continue;
        }
        m_step = {};
        std::vector<VideoFrame> frames = decode_step();
        bool wake = false;
        {
            std::lock_guard lock(m_mutex);
            m_stats.frames_decoded = m_counts.frames_decoded;
            m_stats.frames_discarded = m_counts.frames_discarded;
            m_stats.corrupt_packets = m_loop->corrupt_packets;
            m_stats.decode_errors = m_loop->decode_errors;
            m_stats.plays_finished = m_counts.plays_finished;
            m_stats.refused = m_refused;
            if (m_counts.measured_period > 0)
                m_measured_period = m_counts.measured_period;
            if (generation != m_generation || m_stop)
                continue;  // a seek came in meanwhile: this work is stale
            wake = m_queue.empty() && !frames.empty();
            for (VideoFrame& frame : frames)
                m_queue.push_back(std::move(frame));
            m_stats.frames_queued += frames.size();
            if (m_step.ended) {
                m_at_end = true;
                m_end_time = m_step.end_time;
                wake = true;
            }
        }
        m_ready.notify_all();
        if (wake && m_options.wake)
            m_options.wake();
        if (m_step.ended) {
            release_codec();
            m_demuxer->detach(m_stream);  // the file is read on for the sound only; a seek reads again
        }
    }
}

// Every play is decoded: the frames still queued keep their own buffers, and nothing else needs
// the codec's pictures, per-thread contexts or threads until a seek (ensure_codec).
void VideoDecoder::release_codec()
{
    if (!m_codec)
        return;
    m_codec.reset();
    std::lock_guard lock(m_mutex);
    m_stats.codec_open = false;
}

bool VideoDecoder::ensure_codec()
{
    if (m_codec)
        return true;
    auto codec = open_video_codec(m_info.path, m_demuxer->stream(m_stream), m_codec_options, &m_log_tag);
    if (!codec) {
        note_problem("cannot reopen the decoder: " + codec.error().message);
        return false;
    }
    m_codec = std::move(codec->context);
    std::lock_guard lock(m_mutex);
    m_stats.codec_open = true;
    ++m_stats.codec_opens;
    return true;
}

void VideoDecoder::note_problem(const std::string& what)
{
    if (m_counts.frames_decoded == 0 && m_first_problem.empty())
        m_first_problem = what;
    if (auto held = m_problem_limit.allow())
        log::warn(m_info.path + ": " + what + RateLimit::held_note(*held));
}

// Positions the file so the next frame out is the one on screen at timeline `time`.
void VideoDecoder::seek_file(double time)
{
    const int64_t target = position_at(time);
    // The last key frame at or before the target; decoding forward from it reaches the target.
    m_demuxer->seek(m_stream, target, m_play);
    if (ensure_codec())
        avcodec_flush_buffers(m_codec.get());
}

// The decoding state for a run of frames starting at timeline `time`; returns where in the file
// (the stream's time base) it starts.
int64_t VideoDecoder::position_at(double time)
{
    double period = loop_period();
    int play = 0;
    if (period > 0) {
        double last = m_options.plays > 0 ? m_options.plays - 1 : 1e9;  // clamped before it becomes an int
        play = static_cast<int>(std::clamp(std::floor((time + kEpsilon) / period), 0.0, last));
    }
    m_play = play;
    m_offset = play * period;
    double file_time = m_options.segment_start + std::max(0.0, time - m_offset);
    m_loop->reset();
    m_play_cut = false;
    m_last_file_time = -1;
    m_last_duration = 0;
    m_last_emitted = -1e300;
    m_last_emitted_end = m_offset;
    m_seek_target = time;
    m_candidate.reset();
    return m_start_pts + av_rescale_q(std::llround(file_time * AV_TIME_BASE), AV_TIME_BASE_Q, m_time_base);
}

// The demuxer goes back to the start of the segment for the next play by itself; the codec
// starts afresh. A play cut at its period drops the rest of its packets.
bool VideoDecoder::restart_play()
{
    if (m_play_cut)
        m_demuxer->skip_play(m_stream);
    avcodec_flush_buffers(m_codec.get());
    m_loop->reset();
    m_play_cut = false;
    m_last_file_time = -1;
    m_last_duration = 0;
    return true;
}

bool VideoDecoder::past_period(double timeline_time) const
{
    bool bounded = m_options.period.has_value() || m_options.segment_start > 0;
    double period = loop_period();
    return bounded && period > 0 && timeline_time >= m_offset + period - kEpsilon;
}

void VideoDecoder::emit(VideoFrame frame, std::vector<VideoFrame>& out)
{
    if (frame.time <= m_last_emitted + kEpsilon) {
        ++m_counts.frames_discarded;
        return;
    }
    m_last_emitted = frame.time;
    m_last_emitted_end = frame.end();
    out.push_back(std::move(frame));
}

// The first picture out of the file decides whether it plays at all: a decoder that refused
// packets before it, or had to conceal damage in it, shows a picture with parts made up (grey
// blocks, smeared motion), and the rule everywhere is that partially decodable is not playable.
// True when the file is refused (m_refused says why).
bool VideoDecoder::refuse_damaged_start(const AVFrame& first)
{
    std::string why;
    if (!m_first_problem.empty()) {
        why = m_first_problem;
    } else if (first.decode_error_flags != 0) {
        const int flags = first.decode_error_flags;
        std::string what;
        auto add = [&what](const char* name) { what += (what.empty() ? "" : ", ") + std::string(name); };
        if (flags & FF_DECODE_ERROR_INVALID_BITSTREAM)
            add("invalid bitstream");
        if (flags & FF_DECODE_ERROR_MISSING_REFERENCE)
            add("missing reference picture");
#ifdef FF_DECODE_ERROR_CONCEALMENT_ACTIVE
        if (flags & FF_DECODE_ERROR_CONCEALMENT_ACTIVE)
            add("damage concealed");
#endif
#ifdef FF_DECODE_ERROR_DECODE_SLICES
        if (flags & FF_DECODE_ERROR_DECODE_SLICES)
            add("slices missing");
#endif
        why = "the decoder reported " + (what.empty() ? "errors" : what) + " in it";
    } else if (first.flags & AV_FRAME_FLAG_CORRUPT) {
        why = "the decoder marked it corrupt";
    } else {
        return false;
    }
    m_refused = "video refused at its first picture, partially decodable is not playable: " + why;
    log::warn(m_info.path + ": " + m_refused);
    return true;
}

// Gives the frame in m_decoded its timeline time and passes it on, or holds it back while
// decoding forward to a seek target.
void VideoDecoder::accept(std::vector<VideoFrame>& out)
{
    AVFrame* decoded = m_decoded.get();
    if (m_counts.frames_decoded == 0 && refuse_damaged_start(*decoded)) {
        av_frame_unref(decoded);
        return;
    }
    ++m_counts.frames_decoded;
    if (Status finished = finish_decoded_frame(*decoded); !finished) {  // hardware download, colour tags
        note_problem(finished.error().message);
        av_frame_unref(decoded);
        return;
    }
    const double tick = av_q2d(m_time_base);
    const double rate = m_info.video->frame_rate;
#if LIBAVUTIL_VERSION_MAJOR >= 58
    const int64_t frame_duration = decoded->duration;  // FFmpeg 6 renamed pkt_duration
#else
    const int64_t frame_duration = decoded->pkt_duration;
#endif
    double duration = frame_duration > 0 ? frame_duration * tick : rate > 0 ? 1.0 / rate : 1.0 / 25;
    int64_t ts = decoded->best_effort_timestamp;
    double file_time = ts != AV_NOPTS_VALUE ? (ts - m_start_pts) * tick
                       : m_last_file_time >= 0 ? m_last_file_time + m_last_duration
                                               : 0.0;
    if (m_last_file_time >= 0 && file_time <= m_last_file_time + kEpsilon) {
        // A broken stream: a frame that would go back in time can never be shown in order.
        ++m_counts.frames_discarded;
        note_problem("frame at " + seconds_text(file_time) + " goes back in time; skipped");
        av_frame_unref(decoded);
        return;
    }
    m_last_file_time = file_time;
    m_last_duration = duration;

    double time = m_offset + file_time - m_options.segment_start;
    if (past_period(time)) {
        // Past the trim's end: this play is over; the rest of the file is not read.
        m_play_cut = true;
        av_frame_unref(decoded);
        return;
    }
    if (past_period(time + duration))
        duration = m_offset + loop_period() - time;  // the last frame ends with the play
    VideoFrame frame{make_frame(), time, duration, m_play};
    if (!frame.frame) {
        av_frame_unref(decoded);
        return;
    }
    av_frame_move_ref(frame.frame.get(), decoded);
    if (m_seek_target) {
        if (frame.time <= *m_seek_target + kEpsilon) {
            if (m_candidate)
                ++m_counts.frames_discarded;
            m_candidate = std::move(frame);
            return;
        }
        m_seek_target.reset();
        if (m_candidate)
            emit(std::move(*m_candidate), out);
        m_candidate.reset();
    }
    emit(std::move(frame), out);
}

// The decoder has given its last frame of this play: loop or end. True when every play is done.
bool VideoDecoder::end_of_play(std::vector<VideoFrame>& out)
{
    ++m_counts.plays_finished;
    double measured_end = m_last_file_time >= 0 ? m_last_file_time + m_last_duration : 0;
    if (m_play == 0 && measured_end > 0 && m_counts.measured_period <= 0)
        m_counts.measured_period = measured_end;
    bool more = (m_options.plays <= 0 || m_play + 1 < m_options.plays) && !m_loop->last_play();
    // A play that produced nothing would loop forever producing nothing.
    if (more && m_last_file_time >= 0 && restart_play()) {
        if (m_options.period || m_options.segment_start > 0) {
            m_offset += loop_period();
        } else {
            double period = m_info.video->duration > 0 ? m_info.video->duration : measured_end;
            m_offset += std::max(period, measured_end);
        }
        ++m_play;
        if (m_options.segment_start > 0) {
            // Decoding restarts at the key frame before the trim: frames before it are held back
            // and the last of them is shown at the play's start (as after a seek).
            m_seek_target = m_offset;
            m_candidate.reset();
        }
        return false;
    }
    if (m_candidate)
        emit(std::move(*m_candidate), out);
    m_candidate.reset();
    m_seek_target.reset();
    m_step.ended = true;
    m_step.end_time = m_last_emitted_end;
    return true;
}

// Decodes until there are frames for the queue or every play has ended (or stop).
std::vector<VideoFrame> VideoDecoder::decode_step()
{
    std::vector<VideoFrame> out;
    AVCodecContext* codec = m_codec.get();
    if (!codec) {  // released at the end and could not be reopened by a seek: nothing more
        m_step.ended = true;
        m_step.end_time = m_last_emitted_end;
        return out;
    }
    while (!m_stop) {
        switch (m_loop->next(codec, m_decoded.get(), m_stop)) {
        case DecodeLoop::Step::Frame:
            accept(out);
            if (!m_refused.empty()) {  // nothing of this file is shown
                m_step.ended = true;
                m_step.end_time = 0;
                return out;
            }
            if (m_play_cut && (end_of_play(out) || !out.empty()))
                return out;
            if (!out.empty())
                return out;
            continue;
        case DecodeLoop::Step::EndOfPlay:
            if (end_of_play(out) || !out.empty())
                return out;
            continue;
        case DecodeLoop::Step::GaveUp:
            m_options.plays = m_play + 1;
            end_of_play(out);
            return out;
        case DecodeLoop::Step::Seek:  // only this decoder seeks its demuxer
            continue;
        case DecodeLoop::Step::Stopped:
            return out;
        }
    }
    return out;
}

}  // namespace signage
