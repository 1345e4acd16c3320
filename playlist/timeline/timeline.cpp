#include "playlist/timeline/timeline.h"

#include <algorithm>
#include <cmath>

namespace signage {

namespace {

constexpr double kInfinity = std::numeric_limits<double>::infinity();
// A fixed slot whose time passed while the player was not looking (started late, a clock set
// forward) still starts within this; later, it is left for its next time.
constexpr double kFixedSlotGrace = 30;
// A slide of a fixed slot is prepared this long before its time (a video by its own lead).
constexpr double kFixedSlideLead = 10;

// The loop in the playlist's plan: schedules are asked at the wall-clock instant a slot starts.
class PlanOrder final : public PlayOrder {
public:
    PlanOrder(std::shared_ptr<const PlayPlan> plan, const WallTime* origin)
        : m_plan(std::move(plan)), m_origin(origin), m_cursor(m_plan->start())
    {
    }
    std::optional<size_t> peek(double at, const SkipFn& skip) const override
    {
        PlayPlan::Cursor ahead = m_cursor;
        return m_plan->take(ahead, *m_origin + at, skip);
    }
    std::optional<size_t> take(double at, const SkipFn& skip) override
    {
        uint64_t passes = m_cursor.loop_passes;
        auto item = m_plan->take(m_cursor, *m_origin + at, skip, &m_reason);
        m_loop_start = item && (m_cursor.loop_passes != passes || !m_taken);
        m_taken |= item.has_value();
        return item;
    }
    bool took_idle() const override { return m_reason == PlayReason::Idle; }
    bool took_loop_start() const override { return m_loop_start; }

private:
    PlayReason m_reason = PlayReason::Scheduled;
    bool m_loop_start = false;
    bool m_taken = false;
    std::shared_ptr<const PlayPlan> m_plan;
    const WallTime* m_origin;
    PlayPlan::Cursor m_cursor;
};

}  // namespace

Timeline::Timeline(std::vector<ItemTiming> items, TimelineOptions options)
    : m_sequencer(std::move(items),
                  options.plan ? std::make_unique<PlanOrder>(options.plan, &m_options.wall_origin) : nullptr),
      m_options(std::move(options))
{
}

void Timeline::set_wall_origin(WallTime origin)
{
    m_options.wall_origin = origin;
    m_fixed.reset();  // looked up again from the new wall time
    m_alert_edge_stale = true;
    m_rule_wake = -kInfinity;
}

void Timeline::set_file_alerts(std::vector<AlertSpan> alerts)
{
    m_file_alerts = std::move(alerts);
    m_alert_edge_stale = true;
}

std::vector<Timeline::AlertRef> Timeline::alerts_at(double t) const
{
    std::vector<AlertRef> list;
    WallTime w = wall(t);
    if (m_options.plan)
        for (size_t item : m_options.plan->alert_items(w))
            list.push_back({false, item});
    for (size_t i = 0; i < m_file_alerts.size(); ++i)
        if (m_file_alerts[i].effective <= w && w < m_file_alerts[i].expires)
            list.push_back({true, i});
    return list;
}

std::optional<Layer> Timeline::alert_layer(double now) const
{
    auto list = alerts_at(now);
    if (list.empty())
        return std::nullopt;
    // The rotation is a function of the wall clock: every screen shows the same alert at once.
    double rotate = std::max(1.0, m_options.alert_rotate);
    double turn = std::floor(wall(now) / rotate);
    const AlertRef& ref = list[static_cast<size_t>(std::fmod(turn, static_cast<double>(list.size())))];
    Layer layer;
    layer.banner = m_options.alert_mode == AlertMode::Banner;
    if (ref.file) {
        layer.source = LayerSource::AlertFile;
        layer.alert = ref.index;
    } else {
        layer.source = LayerSource::AlertItem;
        layer.slot = Slot{ref.index, turn * rotate - m_options.wall_origin, rotate};
    }
    return layer;
}

// A full-screen alert holds the loop from the instant it comes to the instant the last one goes
// (a banner shows over the loop, which plays on). Those instants are known ahead (a schedule, a
// CAP expiry) except for a file just dropped or removed, which counts from now.
void Timeline::run_alerts(double now, ItemFacts& facts)
{
    bool up = m_options.alert_mode == AlertMode::Fullscreen && !alerts_at(now).empty();
    if (up != m_alerts_up) {
        double edge = m_alert_edge - m_options.wall_origin;
        double at = edge <= now && edge > m_last_advance ? edge : now;
        auto readiness = [&facts](size_t item) { return facts.readiness(item); };
        auto length = [&facts](size_t item) { return facts.length(item); };
        m_sequencer.advance(at, readiness, length);
        if (up)
            m_sequencer.suspend(at);
        else
            m_sequencer.resume(at);
        m_alerts_up = up;
    }
    // The next instant alerts may come or go by themselves: nothing changes before it, so it is
    // looked for again only once it has passed (or the alerts or the clock changed).
    const WallTime w = wall(now);
    if (w < m_alert_edge && !m_alert_edge_stale)
        return;
    m_alert_edge_stale = false;
    m_alert_edge = kInfinity;
    if (m_options.plan)
        m_alert_edge = m_options.plan->next_alert_change(w);
    for (const AlertSpan& span : m_file_alerts)
        for (WallTime edge : {span.effective, span.expires})
            if (edge > w)
                m_alert_edge = std::min(m_alert_edge, edge);
}

// Fixed-time slots due by `now`, each at its own instant: the loop is first moved up to it (a
// render far into the day passes many), then interrupted there.
void Timeline::run_fixed_slots(double now, ItemFacts& facts)
{
    if (!m_options.plan)
        return;
    auto readiness = [&facts](size_t item) { return facts.readiness(item); };
    auto length = [&facts](size_t item) { return facts.length(item); };
    if (!m_fixed)  // at the start, or after the wall clock was set: one just missed still plays
        m_fixed = m_options.plan->next_fixed(wall(now) - kFixedSlotGrace);
    while (m_fixed && wall(now) >= m_fixed->start) {
        double at = m_fixed->start - m_options.wall_origin;
        if (facts.readiness(m_fixed->items.front()) == Readiness::Pending) {
            m_fixed_waited = true;
            return;  // still loading: it starts as soon as it is in
        }
        // On time it starts on its second, to the bit (play and render agree); late, now.
        double start = m_fixed_waited ? now : at;
        m_fixed_waited = false;
        m_sequencer.advance(start, readiness, length);
        m_sequencer.interrupt(m_fixed->items, start, readiness);
        m_fixed = m_options.plan->next_fixed(m_fixed->start + 1);
    }
    m_fixed_lead = kFixedSlideLead;
    if (m_fixed)
        m_fixed_lead = std::min(kFixedSlideLead, facts.lead(m_fixed->items.front()));
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
    run_alerts(now, facts);
    run_fixed_slots(now, facts);
    // Nothing was in schedule: what comes in starts at the very instant its schedule says, not
    // whenever this advance happens to run (play and render, and screens in step, agree).
    if (!m_sequencer.current() && std::isfinite(m_rule_wake) && m_rule_wake <= wall(now))
        m_sequencer.advance(m_rule_wake - m_options.wall_origin, readiness, length);
    m_sequencer.advance(now, readiness, length);
    // Nothing on: when a schedule next turns on or off (looked for once, until it has passed).
    if (m_sequencer.current() || m_sequencer.suspended() || !m_options.plan)
        m_rule_wake = -kInfinity;
    else if (!(m_rule_wake > wall(now)))
        m_rule_wake = m_options.plan->next_rule_change(wall(now));
    m_last_advance = now;

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
    m_options.wall_origin -= by;  // the same wall instants, at the new times
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
    Picture picture = loop_picture(now);
    if (auto alert = alert_layer(now)) {
        if (alert->banner) {
            picture.layers.push_back(*alert);
        } else {
            picture.layers = {*alert};
            picture.animating = false;
            picture.next_change = kInfinity;
        }
    } else if (m_options.idle_blank && m_options.plan && !picture.layers.empty() &&
               picture.layers.front().source == LayerSource::Fallback && !m_options.plan->anything_at(wall(now))) {
        picture.layers.front().source = LayerSource::Blank;
    }
    picture.next_change = std::min(picture.next_change, next_event(now));
    return picture;
}

double Timeline::next_event(double now) const
{
    double next = kInfinity;
    if (!m_options.plan && m_file_alerts.empty())
        return next;
    const WallTime w = wall(now);
    auto consider = [&](WallTime instant) {
        if (instant > w)
            next = std::min(next, instant - m_options.wall_origin);
    };
    if (m_fixed) {
        consider(m_fixed->start - m_fixed_lead);
        consider(m_fixed->start);
    }
    consider(m_alert_edge);
    if (!m_sequencer.current())
        consider(m_rule_wake);  // nothing on: wake when something is due
    if (alerts_at(now).size() > 1) {
        double rotate = std::max(1.0, m_options.alert_rotate);
        consider((std::floor(w / rotate) + 1) * rotate);
    }
    return next;
}

Picture Timeline::loop_picture(double now) const
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
    if (m_fixed && wall(now) >= m_fixed->start - m_fixed_lead)
        wanted.also.push_back(m_fixed->items.front());
    for (const AlertRef& alert : alerts_at(now)) {
        // Every alert up is kept ready: they take turns every few seconds.
        if (alert.file)
            wanted.file_alerts.push_back(alert.index);
        else if (auto layer = alert_layer(now); layer && layer->source == LayerSource::AlertItem &&
                                                layer->slot.item == alert.index)
            wanted.on_screen.push_back(layer->slot);
        else
            wanted.also.push_back(alert.index);
    }
    wanted.fallback = shows_fallback(now);
    return wanted;
}

double Timeline::next_preparation(double now) const
{
    double next = m_next && m_prepare_next_at > now ? m_prepare_next_at : kInfinity;
    if (m_fixed) {
        double prepare = m_fixed->start - m_fixed_lead - m_options.wall_origin;
        if (prepare > now)
            next = std::min(next, prepare);
    }
    return next;
}

double Timeline::slot_end() const
{
    const auto& current = m_sequencer.current();
    return current ? current->end() : kInfinity;
}

}  // namespace signage
