#include "player/audio/audio_decoder.h"

#include "playlist/base/log.h"
#include "player/media/sdl_handles.h"

extern "C" {
#include <libavutil/channel_layout.h>
#include <libavutil/opt.h>
}

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>

namespace signage {

namespace {

constexpr uint64_t kUntilAudioEnds = std::numeric_limits<uint64_t>::max();
// Timestamps and sample counts may disagree by this much before the stream is re-placed by its
// timestamps (silence for a gap, samples dropped for an overlap); within it, samples are counted.
constexpr double kResyncSeconds = 0.020;
// A timestamp jump this large with no period to bound it is a discontinuity, not a gap to fill.
constexpr double kMaxGapSeconds = 10;
// The most samples per channel a decoded frame may have (about 20 s at 48 kHz).
constexpr int64_t kMaxFrameSamples = 1 << 20;
// The worker sleeps until the callback has emptied half the ring; this only bounds a missed post.
constexpr Uint32 kRoomTimeoutMs = 100;

std::string seconds_text(double t)
{
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%.3f s", t);
    return buffer;
}

// SDL's channel order for each count (SDL_audio.h) as an FFmpeg native layout: both list the
// channels in the same order as the native bit order, so the mask alone says it.
AVChannelLayout sdl_channel_layout(int channels)
{
    uint64_t mask = 0;
    switch (channels) {
    case 1: mask = AV_CH_LAYOUT_MONO; break;
    case 2: mask = AV_CH_LAYOUT_STEREO; break;
    case 3: mask = AV_CH_LAYOUT_2POINT1; break;  // FL FR LFE
    case 4: mask = AV_CH_LAYOUT_QUAD; break;     // FL FR BL BR
    case 5: mask = AV_CH_FRONT_LEFT | AV_CH_FRONT_RIGHT | AV_CH_LOW_FREQUENCY | AV_CH_BACK_LEFT | AV_CH_BACK_RIGHT; break;
    case 6: mask = AV_CH_LAYOUT_5POINT1; break;  // FL FR FC LFE SL SR
    case 7: mask = AV_CH_LAYOUT_6POINT1; break;  // FL FR FC LFE BC SL SR
    default: mask = AV_CH_LAYOUT_7POINT1; break; // FL FR FC LFE BL BR SL SR
    }
    AVChannelLayout layout{};
    av_channel_layout_from_mask(&layout, mask);
    return layout;
}

size_t ring_frames(const AudioFormat& target, double seconds)
{
    return static_cast<size_t>(std::max(1L, std::lround(std::max(0.0, seconds) * target.sample_rate)));
}

}  // namespace

AudioDecoder::AudioDecoder(const AudioFormat& target, AudioDecoderOptions options)
    : m_target(target),
      m_options(std::move(options)),
      m_ring(ring_frames(target, m_options.buffer_seconds), target.channels),
      m_clock(target.sample_rate)
{
}

Result<std::shared_ptr<AudioDecoder>> AudioDecoder::open(const std::string& path, const AudioFormat& target,
                                                         AudioDecoderOptions options)
{
    if (target.sample_rate <= 0 || target.channels <= 0)
        return Error{path, 0, "no audio output format to decode for"};
    auto demuxer = Demuxer::open(path, DemuxerOptions{options.plays, options.segment_start, options.limits});
    if (!demuxer)
        return demuxer.error();
    auto decoder = open(*demuxer, target, std::move(options));
    if (decoder)
        (*demuxer)->start();
    return decoder;
}

Result<std::shared_ptr<AudioDecoder>> AudioDecoder::open(std::shared_ptr<Demuxer> demuxer, const AudioFormat& target,
                                                         AudioDecoderOptions options)
{
    const std::string path = demuxer->path();
    if (target.sample_rate <= 0 || target.channels <= 0)
        return Error{path, 0, "no audio output format to decode for"};
    options.plays = demuxer->options().plays;
    options.segment_start = demuxer->options().segment_start;
    std::shared_ptr<AudioDecoder> decoder(new AudioDecoder(target, std::move(options)));
    AudioDecoder& d = *decoder;
    d.m_room.reset(SDL_CreateSemaphore(0));
    if (!d.m_room)
        return Error{path, 0, sdl_error("cannot make the audio decoder's semaphore")};
    d.m_demuxer = std::move(demuxer);
    d.m_info = d.m_demuxer->info();
    if (!d.m_info.audio)
        return Error{path, 0, "no audio stream in it"};
    const AudioStreamInfo& audio = *d.m_info.audio;
    const AVStream* stream = &d.m_demuxer->stream(audio.index);

    const AVCodec* codec = avcodec_find_decoder(stream->codecpar->codec_id);
    if (!codec)
        return Error{path, 0, "no decoder for its audio codec (" + audio.codec + ")"};
    CodecContextPtr context(avcodec_alloc_context3(codec));
    if (!context)
        return Error{path, 0, "out of memory setting up the " + audio.codec + " decoder"};
    int rc = avcodec_parameters_to_context(context.get(), stream->codecpar);
    if (rc < 0)
        return av_error(path, "cannot set up the " + audio.codec + " decoder", rc);
    context->pkt_timebase = stream->time_base;
    d.m_log_tag.path = path;
    context->opaque = &d.m_log_tag;
    context->thread_count = 1;  // audio decodes at hundreds of times real time on one thread
    // A damaged stream declaring a giant frame fails in the decoder instead of allocating it; real
    // frames are ~1k–8k samples, PCM chunks in MOV up to a second or so.
    context->max_samples = kMaxFrameSamples;
    rc = avcodec_open2(context.get(), codec, nullptr);
    if (rc < 0)
        return av_error(path, "cannot open the " + audio.codec + " decoder", rc);
    d.m_codec = std::move(context);
    d.m_frame = make_frame();
    if (!d.m_frame)
        return Error{path, 0, "out of memory setting up the audio decoder"};

    d.m_stream = audio.index;
    d.m_time_base = stream->time_base;
    d.m_origin = d.m_info.video ? d.m_info.video->start_time : 0;
    const double segment_start = std::max(0.0, d.m_options.segment_start);
    d.m_options.segment_start = segment_start;
    if (d.m_options.period > 0)
        d.m_period = d.m_options.period;
    else if (d.m_info.video && d.m_info.video->duration > segment_start)
        d.m_period = d.m_info.video->duration - segment_start;
    else if (d.m_info.duration > segment_start)
        d.m_period = d.m_info.duration - segment_start;
    d.m_volume = static_cast<float>(std::clamp(d.m_options.volume, 0.0, 1.0));
    d.m_loop = std::make_unique<DecodeLoop>(*d.m_demuxer, d.m_stream, [&d](const std::string& what) { d.note_problem(what); },
                                            "silent from here on");
    d.m_demuxer->attach(d.m_stream);
    log::debug("audio " + path + ": " + audio.codec + " " + audio.layout + " " + std::to_string(audio.sample_rate) +
               " Hz, resampled to " + target.describe());
    d.m_thread = std::thread([&d] { d.run(); });
    return decoder;
}

AudioDecoder::~AudioDecoder()
{
    m_stop = true;
    if (m_demuxer && m_loop)
        m_demuxer->detach(m_stream);  // wakes the worker out of a wait for packets
    if (m_room)
        SDL_SemPost(m_room.get());
    if (m_thread.joinable())
        m_thread.join();
    av_channel_layout_uninit(&m_swr_input.layout);
}

// --- any thread ---

double AudioDecoder::position() const
{
    return position_at(std::chrono::steady_clock::now());
}

double AudioDecoder::position_at(std::chrono::steady_clock::time_point now) const
{
    const double position = m_clock.heard_frame(now) / m_target.sample_rate;
    double last = m_last_position.load();
    while (position > last && !m_last_position.compare_exchange_weak(last, position)) {
    }
    return std::max(position, last);
}

std::optional<double> AudioDecoder::end_time() const
{
    if (m_options.plays > 0 && m_period > 0)
        return static_cast<double>(play_start_frame(m_options.plays)) / m_target.sample_rate;
    if (m_produced_all.load())
        return static_cast<double>(m_ring.written_total()) / m_target.sample_rate;
    return std::nullopt;
}

bool AudioDecoder::finished() const
{
    return m_produced_all.load() && m_ring.read_total() == m_ring.written_total();
}

AudioDecoderStats AudioDecoder::stats() const
{
    AudioDecoderStats s;
    s.frames_played = m_ring.read_total();
    s.underruns = m_underruns.load();
    s.underrun_frames = m_underrun_frames.load();
    s.frames_decoded = m_frames_decoded.load();
    s.silence_frames = m_silence_frames.load();
    s.corrupt_packets = m_loop ? m_loop->corrupt_packets.load() : 0;
    s.decode_errors = m_loop ? m_loop->decode_errors.load() : 0;
    s.plays_finished = m_plays_finished.load();
    int64_t start = m_start_device_frame.load();
    if (start >= 0)
        s.start_device_frame = static_cast<uint64_t>(start);
    return s;
}

uint64_t AudioDecoder::play_start_frame(int play) const
{
    return static_cast<uint64_t>(std::llround(play * m_period * m_target.sample_rate));
}

// --- SDL's audio thread ---

int AudioDecoder::pull(float* out, int frames, const AudioPullTiming& timing)
{
    // Read before the ring: when it says everything is written, the ring shows all of it.
    const bool all_produced = m_produced_all.load(std::memory_order_acquire);
    const uint64_t first = m_ring.read_total();
    const size_t got = m_ring.read(out, static_cast<size_t>(frames), m_volume);
    std::fill(out + got * m_target.channels, out + static_cast<size_t>(frames) * m_target.channels, 0.0f);
    if (got > 0 && !m_started.load(std::memory_order_relaxed)) {
        m_start_device_frame.store(static_cast<int64_t>(timing.device_frame), std::memory_order_relaxed);
        m_started.store(true, std::memory_order_release);
    }
    if (got < static_cast<size_t>(frames) && !all_produced && m_started.load(std::memory_order_relaxed)) {
        m_underruns.fetch_add(1, std::memory_order_relaxed);
        m_underrun_frames.fetch_add(frames - got, std::memory_order_relaxed);
    }
    // A pull that handed over nothing (an underrun, the end) says nothing new about what is heard:
    // the samples before are still draining from the device, as the last record has it.
    if (got > 0)
        m_clock.record(timing.callback_time, first, got, timing.latency_frames);

    // Wake the worker once half the ring is free (it refills in one go) or at the very end.
    // Pairs with the fence in wait_for_room(): one side always sees the other's store.
    std::atomic_thread_fence(std::memory_order_seq_cst);
    if (m_worker_waiting.load(std::memory_order_relaxed)) {
        const bool room = m_ring.free_frames() >= std::max<size_t>(1, m_ring.capacity() / 2);
        const bool played = all_produced && m_ring.available() == 0;
        if ((room || played) && m_worker_waiting.exchange(false))
            SDL_SemPost(m_room.get());  // sem_post: no lock
    }
    return static_cast<int>(got);
}

bool AudioDecoder::exhausted() const
{
    return m_produced_all.load(std::memory_order_acquire) && m_ring.available() == 0;
}

// --- worker thread ---

void AudioDecoder::note_problem(const std::string& what)
{
    if (auto held = m_problem_limit.allow())
        log::warn(m_info.path + ": audio: " + what + RateLimit::held_note(*held));
}

void AudioDecoder::run()
{
    for (int play = 0; !m_stop && (m_options.plays <= 0 || play < m_options.plays); ++play) {
        const uint64_t before = m_ring.written_total();
        run_play(play);
        if (m_stop)
            return;
        m_plays_finished.fetch_add(1, std::memory_order_relaxed);
        if (m_ring.written_total() == before)
            break;  // a play of nothing (no period, no audio) would loop forever producing nothing
    }
    if (m_stop)
        return;
    m_demuxer->detach(m_stream);  // every packet wanted is read: the reader no longer waits for this one
    m_produced_all.store(true, std::memory_order_release);
    if (!m_ready.exchange(true) && m_options.wake)
        m_options.wake();
    wait_until_played();
    if (!m_stop && m_options.wake)
        m_options.wake();
}

void AudioDecoder::run_play(int play)
{
    m_play_written = 0;
    m_play_length = m_period > 0 ? play_start_frame(play + 1) - play_start_frame(play) : kUntilAudioEnds;
    if (!m_broken && m_demuxer_done)
        give_up();  // the demuxer could not start another play (it logged why): silent from here on
    if (!m_broken && !begin_play(play))
        give_up();
    if (!m_broken && decode_play()) {
        const bool more = m_options.plays <= 0 || play + 1 < m_options.plays;
        if (more)
            m_demuxer->skip_play(m_stream);  // the rest of this play's packets are not wanted
    }
    if (m_stop || m_play_length == kUntilAudioEnds || m_play_written >= m_play_length)
        return;
    // A short play (or broken audio) is padded to the period: the next play starts on time.
    const uint64_t padding = m_play_length - m_play_written;
    m_silence_frames.fetch_add(padding, std::memory_order_relaxed);
    push(nullptr, padding);
}

// The audio cannot go on: the timeline still runs, silent; the demuxer no longer reads for it.
void AudioDecoder::give_up()
{
    m_broken = true;
    m_demuxer->detach(m_stream);
}

// Resets the codec and resampler for a play; the demuxer has positioned the file at the play's
// start, less a preroll that primes the codec (the samples before the start are dropped here).
bool AudioDecoder::begin_play(int)
{
    avcodec_flush_buffers(m_codec.get());
    m_swr.reset();
    m_expected = m_options.segment_start;
    m_play_began = false;
    m_loop->reset();
    return true;
}

bool AudioDecoder::decode_play()
{
    AVCodecContext* codec = m_codec.get();
    bool ended = false;
    while (!m_stop && !m_broken && !ended && m_play_written < m_play_length) {
        switch (m_loop->next(codec, m_frame.get(), m_stop)) {
        case DecodeLoop::Step::Frame:
            m_frames_decoded.fetch_add(static_cast<uint64_t>(m_frame->nb_samples), std::memory_order_relaxed);
            accept_frame(m_frame.get());
            av_frame_unref(m_frame.get());
            break;
        case DecodeLoop::Step::EndOfPlay:
            m_demuxer_done = m_loop->last_play();
            ended = true;
            break;
        case DecodeLoop::Step::Seek:
            note_problem("the picture was sought; the sound does not follow a seek, silent from here on");
            give_up();
            break;
        case DecodeLoop::Step::GaveUp:
            give_up();
            break;
        case DecodeLoop::Step::Stopped:
            return false;
        }
    }
    if (!m_stop && !m_broken && m_play_written < m_play_length)
        flush_resampler();  // the resampler's last few samples belong to this play
    return !ended && !m_stop && !m_broken;
}

// Places a decoded frame on the timeline by its timestamp, trims what lies before the play's
// start (or overlaps), fills a gap with silence, then resamples it into the ring.
void AudioDecoder::accept_frame(AVFrame* frame)
{
    const int rate = frame->sample_rate;
    const int count = frame->nb_samples;
    if (rate <= 0 || count <= 0)
        return;
    const int64_t ts = frame->pts != AV_NOPTS_VALUE ? frame->pts : frame->best_effort_timestamp;
    const double time = ts != AV_NOPTS_VALUE ? ts * av_q2d(m_time_base) - m_origin : m_expected;
    // At a play's start samples are trimmed to the exact one; later only real jumps count.
    const double tolerance = m_play_began ? kResyncSeconds : 0.5 / rate;
    const double offset = time - m_expected;
    int skip = 0;
    if (offset > tolerance) {
        const uint64_t room = m_play_length - m_play_written;
        if (m_play_length == kUntilAudioEnds && offset > kMaxGapSeconds) {
            note_problem("timestamps jump by " + seconds_text(offset) + " at " + seconds_text(time) + "; carrying on");
        } else {
            if (m_play_began)
                note_problem("a gap of " + seconds_text(offset) + " at " + seconds_text(time) + ", filled with silence");
            flush_resampler();  // what it holds comes before the gap
            const uint64_t gap = std::min<uint64_t>(room, static_cast<uint64_t>(std::llround(offset * m_target.sample_rate)));
            m_silence_frames.fetch_add(gap, std::memory_order_relaxed);
            m_play_began = true;
            if (!push(nullptr, gap) || m_play_written >= m_play_length)
                return;
        }
        m_expected = time;
    } else if (offset < -tolerance) {
        // Before the play's start (the preroll), or overlapping what was placed already.
        const int64_t early = std::llround(-offset * rate);
        if (m_play_began)
            note_problem("samples at " + seconds_text(time) + " overlap the ones before; dropped");
        if (early >= count)
            return;
        skip = static_cast<int>(early);
        m_expected = time + static_cast<double>(skip) / rate;
    }
    m_expected += static_cast<double>(count - skip) / rate;
    if (!configure_resampler(frame))
        return;

    const int channels = frame->ch_layout.nb_channels;
    const auto format = static_cast<AVSampleFormat>(frame->format);
    const bool planar = av_sample_fmt_is_planar(format);
    const int bytes = av_get_bytes_per_sample(format);
    const int planes = planar ? channels : 1;
    const uint8_t* input[64];
    if (planes > 64)
        return;
    for (int p = 0; p < planes; ++p)
        input[p] = frame->extended_data[p] + static_cast<size_t>(skip) * bytes * (planar ? 1 : channels);
    const int in_count = count - skip;
    const int capacity = swr_get_out_samples(m_swr.get(), in_count);
    if (capacity <= 0)
        return;
    m_converted.resize(std::max(m_converted.size(), static_cast<size_t>(capacity) * m_target.channels));
    uint8_t* output[1] = {reinterpret_cast<uint8_t*>(m_converted.data())};
    const int got = swr_convert(m_swr.get(), output, capacity, input, in_count);
    if (got < 0) {
        note_problem("cannot convert the samples: " + av_error_text(got));
        return;
    }
    m_play_began = true;
    push(m_converted.data(), static_cast<uint64_t>(got));
}

// A resampler for the frame's format, rate and layout; rebuilt when those change mid-stream.
bool AudioDecoder::configure_resampler(const AVFrame* frame)
{
    AVChannelLayout in_layout{};
    if (frame->ch_layout.order == AV_CHANNEL_ORDER_UNSPEC || frame->ch_layout.nb_channels <= 0)
        av_channel_layout_default(&in_layout, std::max(1, frame->ch_layout.nb_channels));
    else if (av_channel_layout_copy(&in_layout, &frame->ch_layout) < 0)
        return false;
    if (m_swr && m_swr_input.format == frame->format && m_swr_input.rate == frame->sample_rate &&
        av_channel_layout_compare(&m_swr_input.layout, &in_layout) == 0) {
        av_channel_layout_uninit(&in_layout);
        return true;
    }
    flush_resampler();
    AVChannelLayout out_layout = sdl_channel_layout(m_target.channels);
    SwrContext* raw = nullptr;
    int rc = swr_alloc_set_opts2(&raw, &out_layout, AV_SAMPLE_FMT_FLT, m_target.sample_rate, &in_layout,
                                 static_cast<AVSampleFormat>(frame->format), frame->sample_rate, 0, nullptr);
    SwrContextPtr swr(raw);
    if (rc >= 0) {
        // A downmix (5.1 → stereo) is scaled so its loudest sum stays within full scale, as
        // ffmpeg does for integer output, rather than clipping.
        av_opt_set_double(swr.get(), "rematrix_maxval", 1.0, 0);
        // A mono file plays at full level on both front speakers; swresample would give it the
        // -3 dB of a centre channel (and ignores center_mix_level when the input has no L/R).
        const int left = av_channel_layout_index_from_channel(&out_layout, AV_CHAN_FRONT_LEFT);
        const int right = av_channel_layout_index_from_channel(&out_layout, AV_CHAN_FRONT_RIGHT);
        if (in_layout.nb_channels == 1 && left >= 0 && right >= 0) {
            std::vector<double> matrix(static_cast<size_t>(out_layout.nb_channels), 0.0);
            matrix[left] = matrix[right] = 1.0;
            rc = swr_set_matrix(swr.get(), matrix.data(), 1);
        }
        if (rc >= 0)
            rc = swr_init(swr.get());
    }
    if (rc < 0) {
        char layout[64] = {};
        av_channel_layout_describe(&in_layout, layout, sizeof layout);
        note_problem(std::string("cannot resample ") + layout + " " + std::to_string(frame->sample_rate) +
                     " Hz, silent from here on: " + av_error_text(rc));
        av_channel_layout_uninit(&in_layout);
        give_up();
        return false;
    }
    m_swr = std::move(swr);
    m_swr_input.format = frame->format;
    m_swr_input.rate = frame->sample_rate;
    av_channel_layout_uninit(&m_swr_input.layout);
    m_swr_input.layout = in_layout;  // takes over what in_layout owned
    return true;
}

// Pushes what the resampler still holds (its filter delay) and drops it.
void AudioDecoder::flush_resampler()
{
    while (m_swr) {
        const int capacity = swr_get_out_samples(m_swr.get(), 0);
        if (capacity <= 0)
            break;
        m_converted.resize(std::max(m_converted.size(), static_cast<size_t>(capacity) * m_target.channels));
        uint8_t* output[1] = {reinterpret_cast<uint8_t*>(m_converted.data())};
        const int got = swr_convert(m_swr.get(), output, capacity, nullptr, 0);
        if (got <= 0 || !push(m_converted.data(), static_cast<uint64_t>(got)))
            break;
    }
    m_swr.reset();
}

// Writes into the ring, cut at the play's end, waiting for room; false when stopping.
bool AudioDecoder::push(const float* samples, uint64_t frames)
{
    frames = std::min(frames, m_play_length - m_play_written);
    while (frames > 0) {
        const size_t n = m_ring.write(samples, static_cast<size_t>(std::min<uint64_t>(frames, SIZE_MAX)));
        m_play_written += n;
        frames -= n;
        if (samples)
            samples += n * m_target.channels;
        if (m_ring.free_frames() == 0 && !m_ready.exchange(true) && m_options.wake)
            m_options.wake();
        if (frames > 0 && !wait_for_room())
            return false;
    }
    return !m_stop;
}

bool AudioDecoder::wait_for_room()
{
    const size_t wanted = std::max<size_t>(1, m_ring.capacity() / 2);
    while (!m_stop) {
        if (m_ring.free_frames() >= wanted)
            return true;
        m_worker_waiting.store(true);
        std::atomic_thread_fence(std::memory_order_seq_cst);
        if (m_ring.free_frames() >= wanted) {
            m_worker_waiting.store(false);
            return true;
        }
        SDL_SemWaitTimeout(m_room.get(), kRoomTimeoutMs);
    }
    return false;
}

// After the last sample is written: waits for the callback to take it, to say finished().
void AudioDecoder::wait_until_played()
{
    while (!m_stop && m_ring.read_total() != m_ring.written_total()) {
        m_worker_waiting.store(true);
        std::atomic_thread_fence(std::memory_order_seq_cst);
        if (m_ring.read_total() == m_ring.written_total())
            break;
        SDL_SemWaitTimeout(m_room.get(), kRoomTimeoutMs);
    }
    m_worker_waiting.store(false);
}

}  // namespace signage
