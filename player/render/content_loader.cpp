#include "player/render/content_loader.h"

#include "playlist/base/log.h"
#include "player/render/surface_ops.h"

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

ContentLoader::ContentLoader(SlideComposer composer, double retry_after, int rotation, std::function<void()> wake)
    : m_composer(std::move(composer)),
      m_retry_after(retry_after),
      m_rotation(rotation),
      m_wake(std::move(wake)),
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

void ContentLoader::add(size_t key, std::string name, LoadJob job)
{
    std::lock_guard lock(m_mutex);
    m_work[key] = Work{std::move(name), std::move(job)};
}

void ContentLoader::request(size_t key, double now)
{
    std::lock_guard lock(m_mutex);
    m_last_now = now;
    if (!m_work.count(key))
        return;
    auto it = m_entries.find(key);
    if (it != m_entries.end()) {
        bool due = it->second.state == State::Failed && now >= it->second.failed_at + m_retry_after;
        if (!due)
            return;
        it->second = Entry{};
    } else {
        m_entries.emplace(key, Entry{});
    }
    m_queue.push_back(key);
    m_changed.notify_all();
}

Readiness ContentLoader::state(size_t key, double now) const
{
    std::lock_guard lock(m_mutex);
    auto it = m_entries.find(key);
    if (it == m_entries.end())
        return Readiness::Pending;
    switch (it->second.state) {
    case State::Done:
    case State::Taken: return Readiness::Ready;
    case State::Failed: return now < it->second.failed_at + m_retry_after ? Readiness::Failed : Readiness::Pending;
    case State::Queued:
    case State::Working: break;
    }
    return Readiness::Pending;
}

SurfacePtr ContentLoader::take(size_t key)
{
    std::lock_guard lock(m_mutex);
    auto it = m_entries.find(key);
    if (it == m_entries.end() || it->second.state != State::Done)
        return nullptr;
    it->second.state = State::Taken;
    return std::move(it->second.result.picture);
}

OpenedVideo ContentLoader::take_video(size_t key)
{
    std::lock_guard lock(m_mutex);
    auto it = m_entries.find(key);
    if (it == m_entries.end() || it->second.state != State::Done || !it->second.result.video.video)
        return {};
    OpenedVideo video = std::move(it->second.result.video);
    m_entries.erase(it);
    return video;
}

void ContentLoader::release(size_t key)
{
    Loaded closing;  // closed outside the lock: decoders join their threads
    std::lock_guard lock(m_mutex);
    auto it = m_entries.find(key);
    // Failed entries stay: they remember when to retry.
    if (it != m_entries.end() && (it->second.state == State::Done || it->second.state == State::Taken)) {
        closing = std::move(it->second.result);
        m_entries.erase(it);
    }
}

Readiness ContentLoader::wait(size_t key, double now)
{
    request(key, now);
    std::unique_lock lock(m_mutex);
    if (!m_entries.count(key))
        return Readiness::Failed;  // nothing declared for it
    m_changed.wait(lock, [&] {
        auto state = m_entries[key].state;
        return state == State::Done || state == State::Taken || state == State::Failed;
    });
    return m_entries[key].state == State::Failed ? Readiness::Failed : Readiness::Ready;
}

Result<Loaded> ContentLoader::load(const Work& work)
{
    auto started = std::chrono::steady_clock::now();
    Result<Loaded> result = work.job(m_composer);
    if (result && result->picture && m_rotation != 0) {
        // Screen rotation clockwise, as the EXIF orientation that turns a picture that way.
        int orientation = m_rotation == 90 ? 6 : m_rotation == 180 ? 3 : 8;
        result->picture = apply_exif_orientation(std::move(result->picture), orientation);
    }
    if (log::enabled(log::Level::Debug))
        log::debug(std::string(result && result->video.video ? "opened " : "loaded ") + work.name + " in " +
                   std::to_string(std::chrono::duration_cast<std::chrono::milliseconds>(
                                      std::chrono::steady_clock::now() - started)
                                      .count()) +
                   " ms");
    std::string key = "item:" + work.name;
    if (result)
        log::on_change(log::Level::Info, key, "ok", work.name + ": playable again", false);
    else
        log::on_change(log::Level::Warn, key, result.error().message,
                       work.name + ": " + result.error().to_string() + "; skipped, retried in " +
                           format_seconds(m_retry_after));
    return result;
}

void ContentLoader::run()
{
    for (;;) {
        size_t key = 0;
        Work work;
        {
            std::unique_lock lock(m_mutex);
            m_changed.wait(lock, [&] { return m_stop || !m_queue.empty(); });
            if (m_stop)
                return;
            key = m_queue.front();
            m_queue.pop_front();
            auto it = m_entries.find(key);
            if (it == m_entries.end() || it->second.state != State::Queued)
                continue;
            it->second.state = State::Working;
            work = m_work.at(key);
        }
        Result<Loaded> result = load(work);
        {
            std::lock_guard lock(m_mutex);
            Entry& entry = m_entries[key];
            if (result) {
                entry.state = State::Done;
                entry.result = std::move(*result);
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
