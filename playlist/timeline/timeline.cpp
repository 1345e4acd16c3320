#include "playlist/timeline/timeline.h"

#include <algorithm>
#include <cmath>

namespace signage {

namespace {
constexpr double kInfinity = std::numeric_limits<double>::infinity();
}

Timeline::Timeline(std::vector<ItemTiming> items, TimelineOptions options)
    : m_sequencer(std::move(items)), m_options(options)
{
}

void Timeline::advance(double now, ItemFacts& facts)
{
    if (!m_started)
        m_started = now;
    auto readiness = [&facts](size_t item) { return facts.readiness(item); };
    auto length = [&facts](size_t item) { return facts.length(item); };
    if (const auto& on_air = m_sequencer.current()) {
        // Learnt first: a new length resets the slot's end, which the sound's delay then extends.
        if (auto learnt = facts.length(on_air->item); learnt && *learnt != m_sequencer.timing(on_air->item).duration)
            m_sequencer.learn_length(on_air->item, *learnt);
        m_sequencer.delay_current_end(facts.end_delay(*m_sequencer.current()));
    }
    m_sequencer.advance(now, readiness, length);

    const auto& current = m_sequencer.current();
    if (current) {
        m_had_item = true;
        if (now >= current->start + m_sequencer.timing(current->item).fade_in)
            m_outgoing_done = true;
    }
    m_next = m_sequencer.upcoming(readiness);
    m_prepare_next_at = -kInfinity;
    if (m_next && current) {
        double lead = facts.lead(*m_next);
        if (std::isfinite(lead))
            m_prepare_next_at = current->end() - lead - m_sequencer.timing(*m_next).fade_in;
    }
}

void Timeline::shift(double by)
{
    m_sequencer.shift(by);
    if (m_started)
        *m_started += by;
    m_prepare_next_at += by;
}

bool Timeline::shows_fallback(double now) const
{
    if (m_sequencer.current() || (m_options.over_outgoing && !m_outgoing_done))
        return false;
    // Nothing left to wait for, waited long enough, or everything failed after playing.
    return !m_next || m_sequencer.size() == 0 || now >= m_started.value_or(now) + m_options.first_item_patience ||
           m_had_item;
}

Picture Timeline::picture(double now) const
{
    Picture picture;
    FrameState frame = m_sequencer.frame(now);
    const bool over_outgoing = m_options.over_outgoing && !m_outgoing_done;
    if (!frame.current) {
        if (over_outgoing)
            picture.layers.push_back({LayerSource::Outgoing, {}, 1.0});
        else if (shows_fallback(now))
            picture.layers.push_back({LayerSource::Fallback, {}, 1.0});
        return picture;
    }
    picture.next_change = frame.next_change;
    if (over_outgoing) {
        // The new playlist's first item comes in over the old picture with its own transition.
        double fade = m_sequencer.timing(frame.current->item).fade_in;
        double mix = fade > 0 ? (now - frame.current->start) / fade : 1.0;
        if (mix < 1.0) {
            picture.layers.push_back({LayerSource::Outgoing, {}, 1.0});
            picture.layers.push_back({LayerSource::Item, *frame.current, std::clamp(mix, 0.0, 1.0)});
            picture.animating = true;
            picture.next_change = now;
            return picture;
        }
    }
    if (frame.previous) {
        picture.layers.push_back({LayerSource::Item, *frame.previous, 1.0});
        picture.animating = true;
    }
    picture.layers.push_back({LayerSource::Item, *frame.current, frame.previous ? frame.mix : 1.0});
    return picture;
}

Preparation Timeline::preparation(double now) const
{
    Preparation wanted;
    FrameState frame = m_sequencer.frame(now);
    for (const auto& slot : {frame.current, frame.previous})
        if (slot)
            wanted.on_screen.push_back(*slot);
    if (m_next && now >= m_prepare_next_at)
        wanted.next = m_next;
    wanted.fallback = shows_fallback(now);
    return wanted;
}

double Timeline::next_preparation(double now) const
{
    return m_next && m_prepare_next_at > now ? m_prepare_next_at : kInfinity;
}

double Timeline::slot_end() const
{
    const auto& current = m_sequencer.current();
    return current ? current->end() : kInfinity;
}

}  // namespace signage
