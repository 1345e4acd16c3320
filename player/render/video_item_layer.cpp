#include "player/render/video_item_layer.h"

#include "player/media/media_scan.h"
#include "playlist/base/path_guard.h"
#include "playlist/base/log.h"

namespace signage {

VideoItemLayer::VideoItemLayer(VideoLayers& videos, ContentLoader& loader, const PlaylistItem& entry, size_t item,
                               Color background, LoadJob job)
    : m_videos(videos), m_loader(loader), m_item(item), m_background(background)
{
    // A video's picture stops at its end: the next item's fade overlaps its last seconds.
    double length = entry.duration_set ? entry.duration : entry.known_length.value_or(kUnknownVideoLength);
    m_timing = {length, entry.fade_in(), true};
    m_loader.add(item, entry.source, std::move(job));
}

bool VideoItemLayer::update(double now, std::span<const Slot> slots, bool wanted)
{
    return m_videos.keep(m_loader, m_item, wanted, slots, now);
}

Readiness VideoItemLayer::settle(double now)
{
    // Opened once to learn whether it plays and its length, as `play` does before its turn;
    // closed again at once (the slots on screen open their own).
    Readiness state = m_loader.wait(m_item, now);
    m_videos.keep(m_loader, m_item, true, {}, now);
    m_videos.keep(m_loader, m_item, false, {}, now);
    return state;
}

Status VideoItemLayer::show_exactly(const Slot& slot, double now)
{
    // Each slot gets its own decoder, seeked to the instant (a video may fade into its own next
    // play).
    if (!m_videos.has_picture(slot)) {
        m_loader.wait(m_item, now);
        m_videos.take_opened(m_loader, m_item, now);
    }
    return m_videos.show_exactly(slot, now);
}

LoadJob video_job(std::shared_ptr<const Playlist> playlist, size_t item, VideoSettings settings)
{
    return [playlist = std::move(playlist), item, settings](SlideComposer&) -> Result<Loaded> {
        const PlaylistItem& entry = playlist->items.at(item);
        // A symlink on the share may point anywhere; only the share's own files are played.
        Status inside = check_real_path_inside(playlist->base_dir, entry.path);
        if (!inside)
            return inside.error();
        if (settings.read_through)
            if (Status whole = scan_media_packets_once(entry.path, settings.limits); !whole)
                return whole.error();
        // One demuxer reads the file for both decoders (opened once, read once); it starts
        // reading once both are attached.
        const VideoDecoderOptions picture = video_options_for(entry, settings);
        auto demuxer = Demuxer::open(entry.path, DemuxerOptions{picture.plays, picture.segment_start, picture.limits});
        if (!demuxer)
            return demuxer.error();
        auto video = VideoDecoder::open(*demuxer, picture);
        if (!video)
            return video.error();
        Loaded loaded;
        loaded.video.video = std::move(*video);
        const MediaInfo& info = loaded.video.video->info();
        if (settings.audio && entry.plays_sound() && info.audio) {
            AudioDecoderOptions options;
            options.plays = picture.plays;
            options.segment_start = picture.segment_start;
            // Sound and picture loop on the same period, so loops never drift apart.
            options.period = loaded.video.video->loop_period();
            options.volume = entry.volume;
            options.limits = settings.limits;
            options.wake = settings.wake;
            auto audio = AudioDecoder::open(*demuxer, *settings.audio, options);
            if (audio)
                loaded.video.audio = std::move(*audio);
            else  // the picture still plays, silent, on the wall clock
                log::on_change(log::Level::Warn, "audio:" + entry.path, audio.error().message,
                               entry.source + ": " + audio.error().to_string() + "; playing it without sound");
        }
        (*demuxer)->start();
        // The first picture decides whether the file plays at all: a refused file fails its load
        // like any broken file (skipped, logged once, retried later), instead of opening again
        // and again. Decoding one picture takes milliseconds; the wait is bounded all the same.
        if (auto refused = loaded.video.video->first_picture_verdict(std::chrono::seconds(10)))
            return Error{entry.path, 0, *refused};
        return loaded;
    };
}

}  // namespace signage
