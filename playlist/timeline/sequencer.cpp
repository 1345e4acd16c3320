#include "playlist/timeline/sequencer.h"

#include <algorithm>
#include <limits>

namespace signage {

std::optional<size_t> RoundRobinOrder::peek(double, const SkipFn& skip) const
{
    // The item after the last one taken, going round once (the last one itself included).
    size_t after = m_last ? *m_last : m_items - 1;
    for (size_t step = 1; step <= m_items; ++step) {
        size_t index = (after + step) % m_items;
        if (!skip || !skip(index))
            return index;
    }
    return std::nullopt;
}

std::optional<size_t> RoundRobinOrder::take(double at, const SkipFn& skip)
{
    auto item = peek(at, skip);
    if (item) {
        m_loop_start = !m_last || *item <= *m_last;  // the first take, or it went round
        m_last = item;
    }
    return item;
}

Sequencer::Sequencer(std::vector<ItemTiming> items, std::unique_ptr<PlayOrder> order)
    : m_items(std::move(items)), m_order(std::move(order))
{
    if (!m_order)
        m_order = std::make_unique<RoundRobinOrder>(m_items.size());
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

std::optional<size_t> Sequencer::peek_next(double at, const ReadinessFn& readiness, bool& pending) const
{
    pending = false;
    auto failed = [&readiness](size_t item) { return readiness(item) == Readiness::Failed; };
    std::optional<size_t> next;
    for (size_t item : m_queue)
        if (!failed(item)) {
            next = item;
            break;
        }
    if (!next && m_resume && !failed(m_resume->item))
        next = m_resume->item;
    if (!next)
        next = m_order->peek(at, failed);
    if (next)
        pending = readiness(*next) == Readiness::Pending;
    return next;
}

Slot Sequencer::take_next(double at, const ReadinessFn& readiness)
{
    auto failed = [&readiness](size_t item) { return readiness(item) == Readiness::Failed; };
    while (!m_queue.empty()) {
        size_t item = m_queue.front();
        m_queue.erase(m_queue.begin());
        if (!failed(item)) {
            m_interrupting = true;
            Slot slot{item, at, m_items[item].duration};
            slot.fixed = true;
            return slot;
        }
    }
    m_interrupting = false;
    if (m_resume) {
        Resume resume = *m_resume;
        m_resume.reset();
        if (!failed(resume.item))
            return Slot{resume.item, at, resume.remaining, resume.offset};
    }
    size_t item = m_order->take(at, failed).value_or(0);
    Slot slot{item, at, m_items[item].duration};
    slot.idle = m_order->took_idle();
    slot.loop_start = m_order->took_loop_start();
    return slot;
}

void Sequencer::keep_to_resume(double at)
{
    if (!m_current || m_interrupting)
        return;  // an interruption cut by another: the item to resume is still the first one cut
    double into = std::max(0.0, at - m_current->start);
    double remaining = m_current->duration - into;
    // Less than a second left: it is not worth showing again; the loop goes on.
    if (remaining >= 1.0)
        m_resume = Resume{m_current->item, m_current->offset + into, remaining};
}

void Sequencer::interrupt(const std::vector<size_t>& items, double at, const ReadinessFn& readiness)
{
    std::vector<size_t> queue;
    for (size_t item : items)
        if (item < m_items.size() && readiness(item) != Readiness::Failed)
            queue.push_back(item);
    if (queue.empty())
        return;
    keep_to_resume(at);
    m_queue = std::move(queue);
    if (m_suspended) {
        m_current.reset();
        return;  // an alert holds the screen: the slot plays under it, unseen, and the loop resumes after
    }
    m_previous = m_current;
    m_current = take_next(at, readiness);
    m_holding = false;
    m_next_late = false;
}

void Sequencer::suspend(double at)
{
    if (m_suspended)
        return;
    keep_to_resume(at);
    m_current.reset();
    m_previous.reset();
    m_suspended = true;
    m_interrupting = false;
}

void Sequencer::resume(double at)
{
    m_suspended = false;
    m_restart_at = at;  // the next advance starts the item kept, at this instant
}

void Sequencer::advance(double now, const ReadinessFn& readiness, const LengthFn& length)
{
    if (m_items.empty()) {
        m_current.reset();
        m_previous.reset();
        return;
    }
    if (m_suspended)
        return;
    if (!m_current) {
        // Starting, or recovering from "nothing playable": begin with the first ready item.
        bool pending = false;
        double start = std::min(now, m_restart_at.value_or(now));
        m_restart_at.reset();
        auto first = peek_next(start, readiness, pending);
        if (!first || pending)
            return;
        learn(*first, length);
        m_current = take_next(start, readiness);
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
        auto next = peek_next(m_current->end(), readiness, pending);
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
            // Everything, the current item included, has failed, or nothing is in schedule any
            // more: the slot ends and the fallback slide (or the idle choice) shows.
            m_current.reset();
            m_previous.reset();
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
        m_previous = m_current;
        m_current = take_next(start, readiness);
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
        m_current->duration = std::max(0.0, timing.duration - m_current->offset);
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
        m_current->duration =
            std::max(0.0, m_items[m_current->item].duration - m_current->offset) + std::max(0.0, lag);
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
    return peek_next(m_current ? m_current->end() : 0, readiness, pending);
}

}  // namespace signage
