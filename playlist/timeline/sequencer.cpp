#include "playlist/timeline/sequencer.h"

#include <algorithm>
#include <limits>

namespace signage {

Sequencer::Sequencer(std::vector<ItemTiming> items) : m_items(std::move(items))
{
    for (const ItemTiming& timing : m_items) {
        m_longest_fade = std::max(m_longest_fade, timing.fade_in);
        m_declared_fades.push_back(timing.fade_in);
    }
}

void Sequencer::learn(size_t item, const LengthFn& length)
{
    if (!length)
        return;
    if (auto learnt = length(item); learnt && *learnt != m_items[item].duration)
        learn_length(item, *learnt);
}

void Sequencer::learn_length(size_t item, double length)
{
    if (item >= m_items.size())
        return;
    ItemTiming timing = m_items[item];
    timing.duration = length;
    timing.fade_in = m_declared_fades[item];
    set_timing(item, timing);
}

double Sequencer::overlap(size_t next) const
{
    if (!m_current || !m_items[m_current->item].fade_over_end)
        return 0;
    // The item on screen keeps at least half its time to itself.
    return std::max(0.0, std::min(m_items[next].fade_in, m_current->duration / 2));
}

// First item after `after` (or at it, with include_start) that is not Failed, going round the
// loop once. `pending` tells whether that item is still loading.
std::optional<size_t> Sequencer::next_candidate(size_t after, bool include_start, const ReadinessFn& readiness,
                                                bool& pending) const
{
    pending = false;
    size_t n = m_items.size();
    for (size_t step = include_start ? 0 : 1; step <= n; ++step) {
        size_t index = (after + step) % n;
        Readiness state = readiness(index);
        if (state == Readiness::Failed)
            continue;
        pending = state == Readiness::Pending;
        return index;
    }
    return std::nullopt;
}

void Sequencer::advance(double now, const ReadinessFn& readiness, const LengthFn& length)
{
    if (m_items.empty()) {
        m_current.reset();
        m_previous.reset();
        return;
    }
    if (!m_current) {
        // Starting, or recovering from "nothing playable": begin with the first ready item.
        bool pending = false;
        auto first = next_candidate(0, true, readiness, pending);
        if (!first || pending)
            return;
        learn(*first, length);
        m_current = Slot{*first, now, m_items[*first].duration};
        m_previous.reset();
        m_holding = false;
        m_next_late = false;
    }
    // Bounded: a day of 0.5 s items is 172800 steps; beyond that something is wrong with `now`.
    learn(m_current->item, length);
    for (int guard = 0; guard < 1000000; ++guard) {
        const ItemTiming& timing = m_items[m_current->item];
        if (now < m_current->end() - m_longest_fade) {
            // Not near the handover yet: wake at the earliest it can be (frame().next_change).
            m_overlap_hint = timing.fade_over_end ? std::min(m_longest_fade, m_current->duration / 2) : 0;
            return;
        }
        bool pending = false;
        auto next = next_candidate(m_current->item, false, readiness, pending);
        // When the current slot hands over: at its end, or earlier when the next item's fade
        // overlaps it. After a hold (the next item was late) the current one has ended already.
        double handover = m_current->end();
        if (next && !pending && !m_holding)
            handover -= overlap(*next);
        m_overlap_hint = m_current->end() - handover;
        if (pending && timing.fade_over_end)
            m_next_late = true;
        if (now < handover)
            return;
        if (!next) {
            // Everything, the current item included, has failed: the fallback slide shows.
            if (readiness(m_current->item) == Readiness::Failed) {
                m_current.reset();
                m_previous.reset();
            }
            return;
        }
        if (pending) {
            m_holding = true;  // hold the current item until the next one is ready
            return;
        }
        // Normally the next item starts exactly at the handover, whatever the frame timing, so
        // play and render agree. One that was not ready in time gets its whole time and fade from
        // now instead (starting it in the past would skip its first frames).
        double start = m_holding || m_next_late ? std::max(now, handover) : handover;
        m_holding = false;
        m_next_late = false;
        learn(*next, length);
        Slot next_slot{*next, start, m_items[*next].duration};
        m_previous = m_current;
        m_current = next_slot;
    }
}

void Sequencer::set_timing(size_t item, ItemTiming timing)
{
    if (item >= m_items.size())
        return;
    timing.fade_in = std::min(timing.fade_in, timing.duration / 2);
    m_items[item] = timing;
    m_longest_fade = std::max(m_longest_fade, timing.fade_in);
    if (m_current && m_current->item == item)
        m_current->duration = timing.duration;
}

void Sequencer::shift(double by)
{
    for (std::optional<Slot>* slot : {&m_current, &m_previous})
        if (*slot)
            (*slot)->start += by;
}

void Sequencer::delay_current_end(double lag)
{
    if (m_current)
        m_current->duration = m_items[m_current->item].duration + std::max(0.0, lag);
}

FrameState Sequencer::frame(double now) const
{
    FrameState state;
    state.current = m_current;
    state.next_change = std::numeric_limits<double>::infinity();
    if (!m_current)
        return state;
    state.next_change = m_current->end() - m_overlap_hint;
    double fade = m_items[m_current->item].fade_in;
    if (m_previous && fade > 0 && now < m_current->start + fade) {
        state.previous = m_previous;
        state.mix = std::clamp((now - m_current->start) / fade, 0.0, 1.0);
        state.next_change = now;  // animating: every frame changes
    }
    return state;
}

std::optional<size_t> Sequencer::upcoming(const ReadinessFn& readiness) const
{
    if (m_items.empty())
        return std::nullopt;
    bool pending = false;
    if (!m_current)
        return next_candidate(0, true, readiness, pending);
    return next_candidate(m_current->item, false, readiness, pending);
}

}  // namespace signage
