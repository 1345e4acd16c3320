#include "player/media/demuxer.h"

#include "playlist/base/log.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace signage {

namespace {

std::atomic<long> g_live_demuxers{0};

int interrupt_requested(void* stop)
{
    return static_cast<std::atomic<bool>*>(stop)->load() ? 1 : 0;
}

std::string seconds_text(double t)
{
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%.3f s", t);
    return buffer;
}

}  // namespace

long Demuxer::live_count()
{
    return g_live_demuxers.load();
}

Demuxer::Demuxer(DemuxerOptions options) : m_options(std::move(options))
{
    ++g_live_demuxers;
}

Result<std::shared_ptr<Demuxer>> Demuxer::open(const std::string& path, DemuxerOptions options)
{
    std::shared_ptr<Demuxer> demuxer(new Demuxer(std::move(options)));
    Demuxer& d = *demuxer;
    auto opened = open_media(path, d.m_options.limits, {interrupt_requested, &d.m_stop});
    if (!opened)
        return opened.error();
    d.m_format = std::move(opened->format);
    d.m_info = std::move(opened->info);
    d.m_options.segment_start = std::max(0.0, d.m_options.segment_start);
    d.m_queues.resize(d.m_format->nb_streams);
    for (unsigned i = 0; i < d.m_format->nb_streams; ++i)
        d.m_queues[i].time_base = d.m_format->streams[i]->time_base;
    return demuxer;
}

Demuxer::~Demuxer()
{
    {
        std::lock_guard lock(m_mutex);
        m_stop = true;
    }
    m_wake_reader.notify_all();
    m_wake_decoders.notify_all();
    if (m_thread.joinable())
        m_thread.join();
    --g_live_demuxers;
}

void Demuxer::attach(int stream)
{
    std::lock_guard lock(m_mutex);
    if (!m_started && stream >= 0 && stream < static_cast<int>(m_queues.size()))
        m_queues[stream].attached = true;
}

void Demuxer::start()
{
    {
        std::lock_guard lock(m_mutex);
        if (m_started)
            return;
        m_started = true;
        const int video = m_info.video ? m_info.video->index : -1;
        const int audio = m_info.audio ? m_info.audio->index : -1;
        for (size_t i = 0; i < m_queues.size(); ++i)
            if (!m_queues[i].attached)
                m_format->streams[i]->discard = AVDISCARD_ALL;
        m_audio_read = audio >= 0 && m_queues[audio].attached;
        m_seek_stream = video >= 0 && m_queues[video].attached ? video : m_audio_read ? audio : -1;
        if (m_seek_stream < 0)
            return;  // nobody reads: no thread
        // Media time 0 is the video stream's start (audio and video of one file line up there).
        const AVStream* picture = video >= 0 ? m_format->streams[video] : m_format->streams[m_seek_stream];
        m_origin_pts = picture->start_time == AV_NOPTS_VALUE ? 0 : picture->start_time;
        m_origin_time_base = picture->time_base;
    }
    m_thread = std::thread([this] { run(); });
}

// --- decoders' side ---

Demuxer::Pop Demuxer::pop(int stream, PacketPtr& packet, bool* last)
{
    std::unique_lock lock(m_mutex);
    Queue& q = m_queues.at(stream);
    for (;;) {
        if (m_stop || !q.live())
            return Pop::Stopped;
        if (q.items.empty()) {
            if (m_finished && !m_seek) {
                // Past the last play: the end again, however often it is asked for.
                if (last)
                    *last = true;
                return Pop::EndOfPlay;
            }
            q.waiting = true;
            m_wake_reader.notify_one();
            m_wake_decoders.wait(lock);
            q.waiting = false;
            continue;
        }
        Item item = std::move(q.items.front());
        q.items.pop_front();
        if (item.packet) {
            q.bytes -= static_cast<size_t>(item.packet->size);
            m_total_bytes -= static_cast<size_t>(item.packet->size);
            q.duration -= std::max<int64_t>(0, item.packet->duration);
            --q.packets;
        }
        if (!enough(q))
            m_wake_reader.notify_one();
        switch (item.kind) {
        case Pop::Packet:
            if (q.skipping && *q.skipping == item.play)
                continue;  // the decoder is past its trim: dropped
            q.popped_play = item.play;
            packet = std::move(item.packet);
            return Pop::Packet;
        case Pop::EndOfPlay:
            q.popped_play = item.play + 1;
            if (q.skipping && *q.skipping == item.play) {
                q.skipping.reset();
                if (!item.last)
                    continue;  // the decoder already ended this play: consumed silently
            }
            if (last)
                *last = item.last;
            return Pop::EndOfPlay;
        case Pop::Seek:
            q.skipping.reset();
            q.popped_play = item.play;
            return Pop::Seek;
        case Pop::Stopped:
            break;
        }
    }
}

void Demuxer::skip_play(int stream)
{
    {
        std::lock_guard lock(m_mutex);
        Queue& q = m_queues.at(stream);
        q.skipping = q.popped_play;
    }
    m_wake_reader.notify_one();  // once every decoder skips, the rest of the play is not read
}

void Demuxer::detach(int stream)
{
    {
        std::lock_guard lock(m_mutex);
        Queue& q = m_queues.at(stream);
        q.detached = true;
        clear_locked(q);
    }
    m_wake_decoders.notify_all();
    m_wake_reader.notify_one();
}

void Demuxer::seek(int stream, int64_t target, int play)
{
    {
        std::lock_guard lock(m_mutex);
        for (size_t i = 0; i < m_queues.size(); ++i) {
            Queue& q = m_queues[i];
            clear_locked(q);
            q.skipping.reset();
            if (static_cast<int>(i) == stream) {
                q.detached = !q.attached;  // a decoder that had finished reads again
                q.popped_play = play;
            } else if (q.live()) {
                q.items.push_back(Item{Pop::Seek, play, false, nullptr});
            }
        }
        m_seek = SeekRequest{stream, target, play};
        ++m_serial;
    }
    m_wake_reader.notify_one();
    m_wake_decoders.notify_all();
}

// --- reader thread ---

bool Demuxer::enough(const Queue& q) const
{
    if (q.packets < kEnoughPackets)
        return false;
    return q.duration <= 0 || static_cast<double>(q.duration) * av_q2d(q.time_base) >= kEnoughSeconds;
}

bool Demuxer::starving() const
{
    return std::any_of(m_queues.begin(), m_queues.end(), [](const Queue& q) { return q.live() && q.waiting; });
}

bool Demuxer::all_skipping() const
{
    bool any = false;
    for (const Queue& q : m_queues) {
        if (!q.live())
            continue;
        if (!q.skipping || *q.skipping != m_play)
            return false;
        any = true;
    }
    return any;
}

bool Demuxer::wants_packets() const
{
    bool below = false;
    for (const Queue& q : m_queues)
        if (q.live() && !(q.skipping && *q.skipping == m_play) && !enough(q))
            below = true;
    if (!below)
        return false;
    // Past the byte cap only a starving decoder makes the reader go on (see the header).
    return m_total_bytes < kMaxQueuedBytes || starving();
}

void Demuxer::clear_locked(Queue& q)
{
    m_total_bytes -= q.bytes;
    q.items.clear();
    q.bytes = 0;
    q.duration = 0;
    q.packets = 0;
}

void Demuxer::note_problem(const std::string& what)
{
    if (auto held = m_problem_limit.allow())
        log::warn(m_info.path + ": " + what + RateLimit::held_note(*held));
}

// Positions the file at play `play`'s start: the key frame at or before the trim (less the audio
// preroll). Only the first play of an untrimmed file needs no seek. A play from the file's start
// is sought on the audio stream when there is sound, to a time before its first sample, so the
// codec gets its priming packet (AAC's encoder delay) as when the sound was read on its own;
// every demuxer takes a time before the first as the start.
bool Demuxer::rewind(int play)
{
    if (play == 0 && m_options.segment_start <= 0)
        return true;
    const double file_time = m_options.segment_start - (m_audio_read ? kAudioPrerollSeconds : 0.0);
    const int stream = file_time <= 0 && m_audio_read ? m_info.audio->index : m_seek_stream;
    const AVRational time_base = m_format->streams[stream]->time_base;
    const int64_t start = av_rescale_q(m_origin_pts, m_origin_time_base, time_base);
    const int64_t target = start + av_rescale_q(std::llround(file_time * AV_TIME_BASE), AV_TIME_BASE_Q, time_base);
    int rc = avformat_seek_file(m_format.get(), stream, INT64_MIN, target, target, 0);
    if (rc < 0)
        rc = av_seek_frame(m_format.get(), stream, target, AVSEEK_FLAG_BACKWARD);
    if (rc < 0) {
        note_problem((play == 0 ? "cannot seek to " + seconds_text(m_options.segment_start)
                                : std::string("cannot go back to the start to loop")) +
                     ": " + av_error_text(rc));
        return false;
    }
    return true;
}

// After a play's last packet: every decoder gets the end marker; then the next play, if any.
// The file is sought without the lock (a slow mount must not block a decoder closing); a seek()
// meanwhile bumps the serial, and its own request then wins.
void Demuxer::end_play(uint64_t serial)
{
    int next = 0;
    bool more = false;
    {
        std::lock_guard lock(m_mutex);
        if (serial != m_serial)
            return;  // a seek came in meanwhile: this play is forgotten
        more = (m_options.plays <= 0 || m_play + 1 < m_options.plays) && m_play_read_any;
        for (Queue& q : m_queues)
            if (q.live())
                q.items.push_back(Item{Pop::EndOfPlay, m_play, !more, nullptr});
        next = m_play + 1;
        if (!more)
            m_finished = true;
        else
            m_play_read_any = false;
    }
    m_wake_decoders.notify_all();
    if (!more)
        return;
    const bool rewound = rewind(next);
    {
        std::lock_guard lock(m_mutex);
        if (serial != m_serial || m_finished)
            return;
        if (rewound)
            m_play = next;
        else
            m_finished = true;  // decoders asking for more get the end (pop)
    }
    m_wake_decoders.notify_all();
}

void Demuxer::run()
{
    rewind(0);  // to the trim; when it cannot be reached the file is read from its start
    PacketPtr packet = make_packet();
    for (;;) {
        std::optional<SeekRequest> seek;
        bool end_now = false;
        uint64_t serial = 0;
        {
            std::unique_lock lock(m_mutex);
            m_wake_reader.wait(lock, [&] {
                return m_stop || m_seek || (!m_finished && (all_skipping() || wants_packets()));
            });
            if (m_stop)
                return;
            seek = m_seek;
            m_seek.reset();
            // Not finished from here on: a decoder asking between this and the seek's end must
            // wait for the packets it seeked to, not be told the file has ended (pop).
            if (seek)
                m_finished = false;
            end_now = !seek && all_skipping();
            serial = m_serial;
        }
        if (seek) {
            int rc = avformat_seek_file(m_format.get(), seek->stream, INT64_MIN, seek->target, seek->target, 0);
            if (rc < 0)
                rc = av_seek_frame(m_format.get(), seek->stream, seek->target, AVSEEK_FLAG_BACKWARD);
            if (rc < 0) {
                double seconds = static_cast<double>(seek->target) * av_q2d(m_format->streams[seek->stream]->time_base);
                note_problem("cannot seek to " + seconds_text(seconds) + ": " + av_error_text(rc));
            }
            std::lock_guard lock(m_mutex);
            if (serial == m_serial) {  // else a newer seek is waiting
                m_play = seek->play;
                m_play_read_any = false;
                m_finished = false;
            }
            continue;
        }
        if (end_now) {
            end_play(serial);
            continue;
        }
        if (!packet)
            packet = make_packet();
        if (!packet) {
            note_problem("out of memory reading packets");
            end_play(serial);
            continue;
        }
        int rc = av_read_frame(m_format.get(), packet.get());
        if (rc < 0) {
            if (rc != AVERROR_EOF && !m_stop)
                note_problem("read error, ending the play at the last good packet: " + av_error_text(rc));
            end_play(serial);
            continue;
        }
        bool dropped_at_cap = false;
        bool queued = false;
        {
            std::lock_guard lock(m_mutex);
            if (serial == m_serial && packet->stream_index >= 0 &&
                packet->stream_index < static_cast<int>(m_queues.size())) {
                Queue& q = m_queues[packet->stream_index];
                m_play_read_any = true;
                if (q.live() && !(q.skipping && *q.skipping == m_play)) {
                    if (m_total_bytes >= kMaxQueuedBytes && !q.waiting && starving()) {
                        dropped_at_cap = true;
                    } else {
                        q.bytes += static_cast<size_t>(packet->size);
                        m_total_bytes += static_cast<size_t>(packet->size);
                        q.duration += std::max<int64_t>(0, packet->duration);
                        ++q.packets;
                        queued = q.items.empty();
                        q.items.push_back(Item{Pop::Packet, m_play, false, std::move(packet)});
                    }
                }
            }
        }
        if (packet)
            av_packet_unref(packet.get());
        if (dropped_at_cap) {
            ++m_dropped;
            note_problem("streams interleaved too far apart (over " + std::to_string(kMaxQueuedBytes >> 20) +
                         " MiB queued while a decoder waits): " + std::to_string(m_dropped) + " packets dropped");
        }
        if (queued)
            m_wake_decoders.notify_all();
    }
}

}  // namespace signage
