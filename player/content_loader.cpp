#include "player/content_loader.h"

#include "playlist/path_guard.h"
#include "player/log.h"
#include "player/surface_ops.h"

#include <chrono>

namespace signage {

VideoDecoderOptions video_options_for(const PlaylistItem& item, const VideoSettings& settings)
{
    VideoDecoderOptions options;
    // With `duration` the video repeats until the item's time is up; the sequencer cuts it.
    options.plays = item.duration_set ? 0 : item.loops;
    options.segment_start = item.start;
    if (item.end)
        options.period = *item.end - item.start;
    options.limits = settings.limits;
    options.hardware = settings.hardware;
    options.wake = settings.wake;
    return options;
}

ContentLoader::ContentLoader(SlideComposer composer, Playlist playlist, double retry_after, int rotation,
                             std::function<void()> wake, VideoSettings video)
    : m_composer(std::move(composer)),
      m_playlist(std::move(playlist)),
      m_retry_after(retry_after),
      m_rotation(rotation),
      m_wake(std::move(wake)),
      m_video(std::move(video)),
      m_thread([this] { run(); })
{
}

ContentLoader::~ContentLoader()
{
    {
        std::lock_guard lock(m_mutex);
        m_stop = true;
    }
    m_changed.notify_all();
    m_thread.join();
}

void ContentLoader::request(size_t item, double now)
{
    std::lock_guard lock(m_mutex);
    m_last_now = now;
    auto it = m_entries.find(item);
    if (it != m_entries.end()) {
        bool due = it->second.state == State::Failed && now >= it->second.failed_at + m_retry_after;
        if (!due)
            return;
        it->second = Entry{};
    } else {
        m_entries.emplace(item, Entry{});
    }
    m_queue.push_back(item);
    m_changed.notify_all();
}

Readiness ContentLoader::readiness(size_t item, double now)
{
    {
        std::lock_guard lock(m_mutex);
        auto it = m_entries.find(item);
        if (it != m_entries.end()) {
            switch (it->second.state) {
            case State::Done:
            case State::Taken: return Readiness::Ready;
            case State::Failed:
                if (now < it->second.failed_at + m_retry_after)
                    return Readiness::Failed;
                break;
            case State::Queued:
            case State::Working: return Readiness::Pending;
            }
        }
    }
    request(item, now);
    return Readiness::Pending;
}

SurfacePtr ContentLoader::take(size_t item)
{
    std::lock_guard lock(m_mutex);
    auto it = m_entries.find(item);
    if (it == m_entries.end() || it->second.state != State::Done)
        return nullptr;
    it->second.state = State::Taken;
    return std::move(it->second.picture);
}

OpenedVideo ContentLoader::take_video(size_t item)
{
    std::lock_guard lock(m_mutex);
    auto it = m_entries.find(item);
    if (it == m_entries.end() || it->second.state != State::Done || !it->second.video.video)
        return {};
    OpenedVideo video = std::move(it->second.video);
    m_entries.erase(it);
    return video;
}

void ContentLoader::release(size_t item)
{
    OpenedVideo closing;  // closed outside the lock: the decoders join their threads
    std::lock_guard lock(m_mutex);
    auto it = m_entries.find(item);
    // Failed entries stay: they remember when to retry.
    if (it != m_entries.end() && (it->second.state == State::Done || it->second.state == State::Taken)) {
        closing = std::move(it->second.video);
        m_entries.erase(it);
    }
}

Readiness ContentLoader::wait(size_t item, double now)
{
    request(item, now);
    std::unique_lock lock(m_mutex);
    m_changed.wait(lock, [&] {
        auto state = m_entries[item].state;
        return state == State::Done || state == State::Taken || state == State::Failed;
    });
    return m_entries[item].state == State::Failed ? Readiness::Failed : Readiness::Ready;
}

bool ContentLoader::is_video(size_t item) const
{
    return item != kFallback && m_playlist.items.at(item).type == ItemType::Video;
}

Result<OpenedVideo> ContentLoader::open_video(size_t item)
{
    const PlaylistItem& entry = m_playlist.items.at(item);
    // A symlink on the share may point anywhere; only the share's own files are played.
    Status inside = check_real_path_inside(m_playlist.base_dir, entry.path);
    if (!inside)
        return inside.error();
    // One demuxer reads the file for both decoders (opened once, read once); it starts reading
    // once both are attached.
    const VideoDecoderOptions picture = video_options_for(entry, m_video);
    auto demuxer = Demuxer::open(entry.path, DemuxerOptions{picture.plays, picture.segment_start, picture.limits});
    if (!demuxer)
        return demuxer.error();
    auto video = VideoDecoder::open(*demuxer, picture);
    if (!video)
        return video.error();
    OpenedVideo opened{std::move(*video), nullptr};
    const MediaInfo& info = opened.video->info();
    if (m_video.audio && !entry.muted && entry.volume > 0 && info.audio) {
        AudioDecoderOptions options;
        options.plays = picture.plays;
        options.segment_start = picture.segment_start;
        // Sound and picture loop on the same period, so loops never drift apart.
        options.period = opened.video->loop_period();
        options.volume = entry.volume;
        options.limits = m_video.limits;
        options.wake = m_video.wake;
        auto audio = AudioDecoder::open(*demuxer, *m_video.audio, options);
        if (audio)
            opened.audio = std::move(*audio);
        else  // the picture still plays, silent, on the wall clock
            log::on_change(log::Level::Warn, "audio:" + entry.path, audio.error().message,
                           entry.source + ": " + audio.error().to_string() + "; playing it without sound");
    }
    (*demuxer)->start();
    return opened;
}

Result<SurfacePtr> ContentLoader::compose(size_t item)
{
    if (item == kFallback) {
        SurfacePtr fallback = m_composer.compose_fallback();
        if (!fallback)
            return Error{"", 0, "cannot compose the fallback slide"};
        return fallback;
    }
    const PlaylistItem& entry = m_playlist.items.at(item);
    for (const std::string* path : {&entry.path, &entry.background_image}) {
        if (path->empty())
            continue;
        // A symlink on the share may point anywhere; only the share's own files are shown.
        Status inside = check_real_path_inside(m_playlist.base_dir, *path);
        if (!inside)
            return inside.error();
    }
    return m_composer.compose(entry);
}

void ContentLoader::run()
{
    for (;;) {
        size_t item = 0;
        {
            std::unique_lock lock(m_mutex);
            m_changed.wait(lock, [&] { return m_stop || !m_queue.empty(); });
            if (m_stop)
                return;
            item = m_queue.front();
            m_queue.pop_front();
            auto it = m_entries.find(item);
            if (it == m_entries.end() || it->second.state != State::Queued)
                continue;
            it->second.state = State::Working;
        }
        auto started = std::chrono::steady_clock::now();
        OpenedVideo video;
        Result<SurfacePtr> result = SurfacePtr{};
        if (is_video(item)) {
            auto opened = open_video(item);
            if (opened)
                video = std::move(*opened);
            else
                result = opened.error();
        } else {
            result = compose(item);
        }
        if (result && *result && m_rotation != 0) {
            // Screen rotation clockwise, as the EXIF orientation that turns a picture that way.
            int orientation = m_rotation == 90 ? 6 : m_rotation == 180 ? 3 : 8;
            *result = apply_exif_orientation(std::move(*result), orientation);
        }
        std::string where = item == kFallback ? "fallback" : m_playlist.items[item].source;
        if (log::enabled(log::Level::Debug))
            log::debug(std::string(video.video ? "opened " : "composed ") + where + " in " +
                       std::to_string(std::chrono::duration_cast<std::chrono::milliseconds>(
                                          std::chrono::steady_clock::now() - started)
                                          .count()) +
                       " ms");
        std::string key = "item:" + where;
        if (result)
            log::on_change(log::Level::Info, key, "ok", where + ": playable again", false);
        else
            log::on_change(log::Level::Warn, key, result.error().message,
                           where + ": " + result.error().to_string() + "; skipped, retried in " +
                               format_seconds(m_retry_after));
        {
            std::lock_guard lock(m_mutex);
            Entry& entry = m_entries[item];
            if (result) {
                entry.state = State::Done;
                entry.picture = std::move(*result);
                entry.video = std::move(video);
            } else {
                entry.state = State::Failed;
                entry.error = result.error().message;
                entry.failed_at = m_last_now;
            }
        }
        m_changed.notify_all();
        if (m_wake)
            m_wake();
    }
}

}  // namespace signage
