#include "playlist/sequencer.h"

#include <algorithm>
#include <limits>

namespace signage {

Sequencer::Sequencer(std::vector<ItemTiming> items) : m_items(std::move(items)) {}

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

void Sequencer::advance(double now, const ReadinessFn& readiness)
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
        m_current = Slot{*first, now, m_items[*first].duration};
        m_previous.reset();
        m_holding = false;
        return;
    }
    // Bounded: a day of 0.5 s items is 172800 steps; beyond that something is wrong with `now`.
    for (int guard = 0; guard < 1000000 && now >= m_current->end(); ++guard) {
        bool pending = false;
        auto next = next_candidate(m_current->item, false, readiness, pending);
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
        // After a hold the next item gets its whole time and fade from now; otherwise it starts
        // exactly when the current one ends, whatever the frame timing, so play and render agree.
        double start = m_holding ? std::max(now, m_current->end()) : m_current->end();
        m_holding = false;
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
    if (m_current && m_current->item == item)
        m_current->duration = timing.duration;
}

FrameState Sequencer::frame(double now) const
{
    FrameState state;
    state.current = m_current;
    state.next_change = std::numeric_limits<double>::infinity();
    if (!m_current)
        return state;
    state.next_change = m_current->end();
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
