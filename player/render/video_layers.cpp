#include "player/render/video_layers.h"

#include "playlist/base/geometry.h"
#include "playlist/base/log.h"
#include "player/render/video_picture.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace signage {

namespace {

// A slot bound this far past its start (a screen in step that joined late) seeks to the frame due.
constexpr double kJoinLate = 1.0;


// A frame counts as late when it reaches the screen more than one frame period after its time.
constexpr double kLateSlack = 1e-3;
// The picture follows the sound, but never falls further behind the wall clock than this: a
// stalled or silent device must not freeze the video.
constexpr double kMaxAudioLag = 0.5;
// A video whose sound ends within this is followed gaplessly by the next one's (the device's
// latency and one loop turn fit well inside).
constexpr double kGaplessWindow = 0.2;
// A sounding video's slot ends this long before its last sample is heard: the next sound must be
// queued while the device still has the old one (a buffer or two) to follow it without a gap.
// Well inside kGaplessWindow; the picture leaves a few frames' worth before the sound.
constexpr double kSoundHandover = 0.1;

}  // namespace

struct VideoLayers::Instance {
    Instance(OpenedVideo opened, SDL_Renderer* renderer, ItemFigures* f)
        : decoder(std::move(opened.video)), audio(std::move(opened.audio)), texture(renderer), figures(f)
    {
    }
    ~Instance()
    {
        if (!figures)
            return;
        figures->frames_dropped += decoder->stats().frames_dropped;
        if (audio)
            figures->audio_underruns += audio->stats().underruns;
    }

    std::unique_ptr<VideoDecoder> decoder;
    std::shared_ptr<AudioDecoder> audio;
    double shown_time = 0, shown_end = 0;  // timeline span of the frame on the texture
    VideoTexture texture;
    ItemFigures* figures;  // owned by PlaybackStats; nullptr when nobody counts
    bool uploaded = false;
    bool fresh = false;          // a new frame was uploaded since the last present
    double last_present = -1;    // when this slot's picture last reached the screen
    bool upload_failed = false;
    double sound_lag = 0;        // how far the sound heard runs behind the wall clock (end_delay)
};

VideoLayers::VideoLayers(SDL_Renderer* renderer, ScreenGeometry geometry, const Playlist& playlist,
                         PlaybackStats* stats, AudioOutput* audio)
    : m_renderer(renderer), m_geometry(geometry), m_playlist(playlist), m_stats(stats), m_audio(audio)
{
}

VideoLayers::~VideoLayers() = default;

bool VideoLayers::keep(ContentLoader& loader, size_t item, bool wanted, std::span<const Slot> slots, double now)
{
    auto on_screen = [&](const SlotKey& key) {
        return std::any_of(slots.begin(), slots.end(),
                           [&](const Slot& slot) { return slot.item == key.first && slot.start == key.second; });
    };
    for (auto it = m_playing.lower_bound({item, -std::numeric_limits<double>::infinity()});
         it != m_playing.end() && it->first.first == item;) {
        bool shown = on_screen(it->first);
        if (!shown && m_sounding == it->first) {
            // A sound at its end plays out (the next video's may follow it gaplessly); one cut
            // short fades out with its picture.
            if (!sound_ending()) {
                m_audio->set_source(nullptr);
                m_sound.reset();
            }
            m_sounding.reset();
        }
        it = shown ? std::next(it) : m_playing.erase(it);
    }
    if (auto it = m_waiting.find(item); it != m_waiting.end()) {
        // Kept when wanted next, or when a slot on screen is about to start with it.
        bool starting = std::any_of(slots.begin(), slots.end(), [&](const Slot& slot) { return !find(slot); });
        if (!starting && !wanted)
            m_waiting.erase(it);
    }
    return wanted && take_opened(loader, item, now);
}

bool VideoLayers::take_opened(ContentLoader& loader, size_t item, double now)
{
    if (m_waiting.count(item))
        return false;
    loader.request(item, now);
    OpenedVideo opened = loader.take_video(item);
    if (!opened.video)
        return false;
    const PlaylistItem& entry = m_playlist.items[item];
    double period = opened.video->loop_period();
    if (entry.duration_set)
        m_lengths[item] = entry.duration;
    else if (period > 0)
        m_lengths[item] = period * entry.loops;
    ItemFigures* figures = m_stats ? &m_stats->item(entry.source) : nullptr;
    m_waiting[item] = std::make_unique<Instance>(std::move(opened), m_renderer, figures);
    return true;
}

Readiness VideoLayers::readiness(const ContentLoader& loader, size_t item, double now) const
{
    auto it = m_waiting.find(item);
    if (it != m_waiting.end()) {
        const Instance& instance = *it->second;
        const VideoDecoder& decoder = *instance.decoder;
        if (decoder.has_frame() && (!instance.audio || instance.audio->ready()))
            return Readiness::Ready;
        // Opened but nothing to show at all (every frame corrupt): skip it like a broken file.
        return decoder.finished() ? Readiness::Failed : Readiness::Pending;
    }
    Readiness state = loader.state(item, now);
    return state == Readiness::Ready ? Readiness::Pending : state;  // opened, not taken yet
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

VideoLayers::Instance* VideoLayers::bind(const Slot& slot, double now)
{
    if (Instance* instance = find(slot))
        return instance;
    auto waiting = m_waiting.find(slot.item);
    if (waiting == m_waiting.end())
        return nullptr;
    Instance* instance = waiting->second.get();
    m_playing[{slot.item, slot.start}] = std::move(waiting->second);
    m_waiting.erase(waiting);
    // Resumed after a fixed-time slot cut it, or joined late by a screen in step: the picture
    // goes on at the frame due. Its sound cannot follow a seek of the shared demuxer yet, so the
    // rest of that play is silent.
    double due = slot.offset + std::max(0.0, now - slot.start);
    if (due > kJoinLate) {
        instance->decoder->seek(due);
        instance->audio.reset();
    }
    if (instance->figures)
        ++instance->figures->plays;
    if (instance->audio && m_audio) {
        // After a video whose sound is ending, the next sound follows its last sample (gapless);
        // otherwise it starts now: with the item's fade, the old sound (a video fading out
        // under this one) crossfades into it over the same time as the pictures; after a cut
        // the old one fades out in a few ms.
        if (sound_ending())
            m_audio->queue_source(instance->audio);
        else
            m_audio->set_source(instance->audio, m_playlist.items[slot.item].fade_in());
        m_sound = instance->audio;
        m_sounding = SlotKey{slot.item, slot.start};
    }
    return instance;
}

bool VideoLayers::sound_ending() const
{
    if (!m_sound)
        return false;
    auto end = m_sound->end_time();
    return m_sound->finished() || (end && *end - m_sound->position() < kGaplessWindow);
}

double VideoLayers::media_time(const Instance& instance, const Slot& slot, double now) const
{
    double wall = slot.offset + now - slot.start;
    bool sounding = instance.audio && m_sounding == SlotKey{slot.item, slot.start};
    if (!sounding)
        return wall;
    // The sound card's clock is the master: the frame shown is the one being heard.
    double heard = instance.audio->started() ? instance.audio->position() : 0.0;
    return std::max(heard, wall - kMaxAudioLag);
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
    instance.shown_time = frame.time;
    instance.shown_end = frame.end();
    return true;
}

Status VideoLayers::show_exactly(const Slot& slot, double now)
{
    Instance* instance = bind(slot, slot.start);
    if (!instance)
        return Error{m_playlist.items.at(slot.item).path, 0, "the video is not open"};
    VideoDecoder& decoder = *instance->decoder;
    decoder.seek(slot.offset + now - slot.start);
    auto frame = decoder.wait_frame(std::chrono::seconds(30));
    if (!frame)
        return Error{decoder.path(), 0, "no frame at " + format_seconds(slot.offset + now - slot.start)};
    if (!upload(*instance, *frame))
        return Error{decoder.path(), 0, "cannot show its frame"};
    return {};
}

bool VideoLayers::advance(const Slot& slot, double now)
{
    Instance* instance = bind(slot, now);
    if (!instance)
        return false;
    VideoDecoder& decoder = *instance->decoder;
    double media_time = this->media_time(*instance, slot, now);
    if (instance->audio && m_sounding == SlotKey{slot.item, slot.start} && instance->audio->started()) {
        // Until the last sample is heard: after that the sound clock stands still at its end.
        auto end = instance->audio->end_time();
        if (!end || media_time < *end - 1e-3)
            instance->sound_lag = std::clamp(now - slot.start - media_time, 0.0, kMaxAudioLag);
    }
    bool changed = false;
    if (auto frame = decoder.take_frame(media_time)) {
        changed = upload(*instance, *frame);
        if (changed && instance->figures && media_time > frame->end() + kLateSlack)
            ++instance->figures->late_frames;
    }
    // A play that ended before its stated length (a truncated file) ends the item there.
    if (decoder.finished()) {
        if (auto end = decoder.end_time(); end && *end > 0 && *end + 1e-3 < slot.offset + slot.duration) {
            const PlaylistItem& entry = m_playlist.items[slot.item];
            if (!entry.duration_set)
                m_lengths[slot.item] = *end;
        }
    }
    return changed;
}

std::optional<double> VideoLayers::next_change(const Slot& slot, double now) const
{
    Instance* instance = find(slot);
    if (!instance)
        return std::nullopt;
    auto next = instance->decoder->next_frame_time();
    if (!next)
        return std::nullopt;
    // Due on the media clock (maybe the sound's, which runs a little behind the wall clock and
    // at the sound card's rate): converted to a wall-clock wake from where that clock is now.
    return now + std::max(0.0, *next - media_time(*instance, slot, now));
}

double VideoLayers::end_delay(const Slot& slot) const
{
    Instance* instance = find(slot);
    return instance ? std::max(0.0, instance->sound_lag - kSoundHandover) : 0.0;
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

    // Letterbox bars in the slide background, faded with the picture. Opaque, the picture is the
    // bottom layer over the background FramePainter has just cleared to: nothing to fill.
    if (a < 255) {
        SDL_SetRenderDrawBlendMode(m_renderer, SDL_BLENDMODE_BLEND);
        SDL_SetRenderDrawColor(m_renderer, background.r, background.g, background.b, a);
        SDL_Rect whole{0, 0, screen_w, screen_h};
        SDL_RenderFillRect(m_renderer, &whole);
    }

    const VideoStreamInfo& video = *instance->decoder->info().video;
    VideoPlacement place = place_video(video, instance->texture.width(), instance->texture.height(), g.canvas_w,
                                       g.canvas_h, m_playlist.items[slot.item].fit);
    Rect dest = rotate_rect(place.dest, g.canvas_w, g.canvas_h, g.rotation);

    instance->texture.draw(&place.source, SDL_Rect{dest.x, dest.y, dest.w, dest.h}, (video.rotation + g.rotation) % 360, a);
}

void VideoLayers::presented(const Slot& slot, double now)
{
    const SlotKey key{slot.item, slot.start};
    if (auto it = m_playing.find(key); it != m_playing.end()) {
        Instance* instance = it->second.get();
        if (!instance->uploaded)
            return;
        if (instance->figures && instance->audio && instance->audio->started() && m_sounding == key) {
            // How far the sound heard now is from the span of the picture on screen.
            double heard = instance->audio->position();
            double offset = heard < instance->shown_time ? instance->shown_time - heard
                            : heard > instance->shown_end ? heard - instance->shown_end
                                                          : 0.0;
            instance->figures->max_av_offset = std::max(instance->figures->max_av_offset, offset);
        }
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
