#include "player/video_layers.h"

#include "playlist/geometry.h"
#include "player/log.h"

#include <algorithm>
#include <cmath>

namespace signage {

namespace {

// A frame counts as late when it reaches the screen more than one frame period after its time.
constexpr double kLateSlack = 1e-3;

}  // namespace

struct VideoLayers::Instance {
    Instance(std::unique_ptr<VideoDecoder> d, SDL_Renderer* renderer, ItemFigures* f)
        : decoder(std::move(d)), texture(renderer), figures(f)
    {
    }
    ~Instance()
    {
        if (figures)
            figures->frames_dropped += decoder->stats().frames_dropped;
    }

    std::unique_ptr<VideoDecoder> decoder;
    VideoTexture texture;
    ItemFigures* figures;  // owned by PlaybackStats; nullptr when nobody counts
    bool uploaded = false;
    bool fresh = false;          // a new frame was uploaded since the last present
    double last_present = -1;    // when this slot's picture last reached the screen
    bool upload_failed = false;
};

VideoLayers::VideoLayers(SDL_Renderer* renderer, ScreenGeometry geometry, const Playlist& playlist,
                         PlaybackStats* stats)
    : m_renderer(renderer), m_geometry(geometry), m_playlist(playlist), m_stats(stats)
{
}

VideoLayers::~VideoLayers() = default;

void VideoLayers::sync(ContentLoader& loader, const std::vector<size_t>& wanted, const std::vector<Slot>& on_screen)
{
    for (auto it = m_playing.begin(); it != m_playing.end();) {
        bool shown = std::any_of(on_screen.begin(), on_screen.end(), [&](const Slot& slot) {
            return slot.item == it->first.first && slot.start == it->first.second;
        });
        it = shown ? std::next(it) : m_playing.erase(it);
    }
    for (auto it = m_waiting.begin(); it != m_waiting.end();) {
        // Kept when wanted next, or when a slot on screen is about to start with it.
        bool starting = std::any_of(on_screen.begin(), on_screen.end(),
                                    [&](const Slot& slot) { return slot.item == it->first && !find(slot); });
        bool needed = starting || std::find(wanted.begin(), wanted.end(), it->first) != wanted.end();
        it = needed ? std::next(it) : m_waiting.erase(it);
    }
    for (size_t item : wanted) {
        if (item >= m_playlist.items.size() || m_playlist.items[item].type != ItemType::Video || m_waiting.count(item))
            continue;
        std::unique_ptr<VideoDecoder> decoder = loader.take_video(item);
        if (!decoder)
            continue;
        const PlaylistItem& entry = m_playlist.items[item];
        double period = decoder->loop_period();
        if (entry.duration_set)
            m_lengths[item] = entry.duration;
        else if (period > 0)
            m_lengths[item] = period * entry.loops;
        ItemFigures* figures = m_stats ? &m_stats->item(entry.source) : nullptr;
        m_waiting[item] = std::make_unique<Instance>(std::move(decoder), m_renderer, figures);
    }
}

Readiness VideoLayers::readiness(ContentLoader& loader, size_t item, double now)
{
    auto it = m_waiting.find(item);
    if (it != m_waiting.end()) {
        const VideoDecoder& decoder = *it->second->decoder;
        if (decoder.has_frame())
            return Readiness::Ready;
        // Opened but nothing to show at all (every frame corrupt): skip it like a broken file.
        return decoder.finished() ? Readiness::Failed : Readiness::Pending;
    }
    Readiness state = loader.readiness(item, now);
    return state == Readiness::Ready ? Readiness::Pending : state;
}

std::optional<double> VideoLayers::length(size_t item) const
{
    auto it = m_lengths.find(item);
    if (it == m_lengths.end())
        return std::nullopt;
    return it->second;
}

VideoLayers::Instance* VideoLayers::find(const Slot& slot) const
{
    auto it = m_playing.find({slot.item, slot.start});
    return it == m_playing.end() ? nullptr : it->second.get();
}

VideoLayers::Instance* VideoLayers::bind(const Slot& slot)
{
    if (Instance* instance = find(slot))
        return instance;
    auto waiting = m_waiting.find(slot.item);
    if (waiting == m_waiting.end())
        return nullptr;
    Instance* instance = waiting->second.get();
    m_playing[{slot.item, slot.start}] = std::move(waiting->second);
    m_waiting.erase(waiting);
    if (instance->figures)
        ++instance->figures->plays;
    return instance;
}

bool VideoLayers::upload(Instance& instance, const VideoFrame& frame)
{
    Status uploaded = instance.texture.upload(*frame.frame);
    if (!uploaded) {
        if (!instance.upload_failed)  // once per slot: the next frames fail the same way
            log::warn(instance.decoder->path() + ": " + uploaded.error().to_string());
        instance.upload_failed = true;
        return false;
    }
    instance.uploaded = true;
    instance.fresh = true;
    return true;
}

Status VideoLayers::show_exactly(const Slot& slot, double now)
{
    Instance* instance = bind(slot);
    if (!instance)
        return Error{m_playlist.items.at(slot.item).path, 0, "the video is not open"};
    VideoDecoder& decoder = *instance->decoder;
    decoder.seek(now - slot.start);
    auto frame = decoder.wait_frame(std::chrono::seconds(30));
    if (!frame)
        return Error{decoder.path(), 0, "no frame at " + format_seconds(now - slot.start)};
    if (!upload(*instance, *frame))
        return Error{decoder.path(), 0, "cannot show its frame"};
    return {};
}

bool VideoLayers::advance(const Slot& slot, double now)
{
    Instance* instance = bind(slot);
    if (!instance)
        return false;
    VideoDecoder& decoder = *instance->decoder;
    double media_time = now - slot.start;
    bool changed = false;
    if (auto frame = decoder.take_frame(media_time)) {
        changed = upload(*instance, *frame);
        if (changed && instance->figures && media_time > frame->end() + kLateSlack)
            ++instance->figures->late_frames;
    }
    // A play that ended before its stated length (a truncated file) ends the item there.
    if (decoder.finished()) {
        if (auto end = decoder.end_time(); end && *end > 0 && *end + 1e-3 < slot.duration) {
            const PlaylistItem& entry = m_playlist.items[slot.item];
            if (!entry.duration_set)
                m_lengths[slot.item] = *end;
        }
    }
    return changed;
}

std::optional<double> VideoLayers::next_change(const Slot& slot) const
{
    Instance* instance = find(slot);
    if (!instance)
        return std::nullopt;
    auto next = instance->decoder->next_frame_time();
    if (!next)
        return std::nullopt;
    return slot.start + *next;
}

bool VideoLayers::has_picture(const Slot& slot) const
{
    Instance* instance = find(slot);
    return instance && instance->uploaded;
}

void VideoLayers::draw(const Slot& slot, Color background, double alpha)
{
    Instance* instance = find(slot);
    if (!instance || !instance->uploaded)
        return;
    const Uint8 a = static_cast<Uint8>(std::lround(std::clamp(alpha, 0.0, 1.0) * 255));
    const ScreenGeometry& g = m_geometry;
    const bool sideways_screen = g.rotation == 90 || g.rotation == 270;
    const int screen_w = sideways_screen ? g.canvas_h : g.canvas_w;
    const int screen_h = sideways_screen ? g.canvas_w : g.canvas_h;

    // Letterbox bars in the slide background, faded with the picture.
    SDL_SetRenderDrawBlendMode(m_renderer, a == 255 ? SDL_BLENDMODE_NONE : SDL_BLENDMODE_BLEND);
    SDL_SetRenderDrawColor(m_renderer, background.r, background.g, background.b, a);
    SDL_Rect whole{0, 0, screen_w, screen_h};
    SDL_RenderFillRect(m_renderer, &whole);

    const VideoStreamInfo& video = *instance->decoder->info().video;
    const AVRational sar = video.sample_aspect_ratio;
    const double pixel_aspect = sar.num > 0 && sar.den > 0 ? static_cast<double>(sar.num) / sar.den : 1.0;
    const int stored_w = instance->texture.width(), stored_h = instance->texture.height();
    // The picture as meant to be seen: square pixels, turned by the stream's display matrix.
    const int shown_w = std::max(1, static_cast<int>(std::lround(stored_w * pixel_aspect)));
    const bool sideways_video = video.rotation == 90 || video.rotation == 270;
    const int seen_w = sideways_video ? stored_h : shown_w;
    const int seen_h = sideways_video ? shown_w : stored_h;

    FitResult fit = fit_image(seen_w, seen_h, {0, 0, g.canvas_w, g.canvas_h}, m_playlist.items[slot.item].fit);
    // The crop (cover) back in the stored picture's pixels: unturn it, undo the pixel aspect.
    Rect crop = rotate_rect(fit.source, seen_w, seen_h, (360 - video.rotation) % 360);
    crop.x = static_cast<int>(std::lround(crop.x / pixel_aspect));
    crop.w = std::max(1, static_cast<int>(std::lround(crop.w / pixel_aspect)));
    SDL_Rect source{crop.x, crop.y, std::min(crop.w, stored_w - crop.x), crop.h};
    Rect dest = rotate_rect(fit.dest, g.canvas_w, g.canvas_h, g.rotation);

    SDL_Texture* texture = instance->texture.texture();
    SDL_SetTextureBlendMode(texture, a == 255 ? SDL_BLENDMODE_NONE : SDL_BLENDMODE_BLEND);
    SDL_SetTextureAlphaMod(texture, a);
    instance->texture.apply_yuv_mode();
    instance->texture.draw(&source, SDL_Rect{dest.x, dest.y, dest.w, dest.h}, (video.rotation + g.rotation) % 360);
}

void VideoLayers::presented(double now)
{
    for (auto& [key, instance] : m_playing) {
        if (!instance->uploaded)
            continue;
        if (instance->figures) {
            if (instance->fresh)
                ++instance->figures->frames_presented;
            if (instance->last_present >= 0)
                instance->figures->max_present_gap =
                    std::max(instance->figures->max_present_gap, now - instance->last_present);
        }
        instance->fresh = false;
        instance->last_present = now;
    }
}

}  // namespace signage
