// What is on screen at an instant: the one answer `play`, `render --at` and (next) `schedule`
// ask. Pure logic, no SDL or FFmpeg: given the playlist's timings, the clock and what the player
// knows of each item (ItemFacts: readiness, learnt lengths, a sounding video's late end), it
// says which layers are up, how they mix, what to prepare and when the picture next changes.
//
// The picture is a stack of layers, bottom first. Today the stack is the main loop (an item, or
// two during a crossfade), the fallback slide when nothing can play, and the last picture of a
// replaced playlist while the new one fades in over it. Later tracks stack the same way: a
// scheduled loop, fixed-time slots that interrupt it, alerts over it, zones and overlays (a
// ticker, a clock) above, each a Layer with its own source.
#pragma once

#include "playlist/base/wall_time.h"
#include "playlist/timeline/play_plan.h"
#include "playlist/timeline/sequencer.h"

#include <memory>

#include <limits>
#include <optional>
#include <vector>

namespace signage {

// What the player knows of each item, asked by the timeline (the timeline is never pushed
// into). `play` answers from what has loaded so far; `render --at` waits for each answer.
class ItemFacts {
public:
    virtual ~ItemFacts() = default;
    // Whether a slot of the item could start now without a missing picture.
    virtual Readiness readiness(size_t item) = 0;
    // Its length on screen once learnt (a video's, when opened); nullopt: the declared timing.
    virtual std::optional<double> length(size_t item) = 0;
    // How much later than its timing the slot on screen ends (a sounding video follows the
    // sound card's clock, which may run behind the wall clock).
    virtual double end_delay(const Slot& slot) = 0;
    // How long before its turn the item is prepared. Infinity: as soon as it is next (a slide,
    // cheap to hold); a video holds a decoder and its pictures, so it opens shortly before.
    virtual double lead(size_t item) = 0;
};

enum class LayerSource {
    Item,       // a playlist item in a slot
    Fallback,   // the fallback slide: nothing can play
    Outgoing,   // the last picture of the playlist this one replaced
    Blank,      // nothing in schedule and [screen] idle = blank: the screen is black
    AlertItem,  // an item with priority = alert (slot.item)
    AlertFile,  // an alert file from the alerts folder (`alert`)
};

struct Layer {
    LayerSource source = LayerSource::Item;
    Slot slot;             // for Item and AlertItem
    double opacity = 1.0;  // 0..1 over the layers below
    size_t alert = 0;      // AlertFile: its index in the list given to set_file_alerts
    bool banner = false;   // an alert drawn as a band over the loop, not over the whole screen
};

// When an alert file is up (CAP effective and expires; a plain file: always, until removed).
struct AlertSpan {
    WallTime effective = -kNever;
    WallTime expires = kNever;
};

struct Picture {
    std::vector<Layer> layers;  // bottom first; empty: nothing to show yet (the first item loads)
    // When the picture next changes by itself (playing videos add their own frame times).
    double next_change = std::numeric_limits<double>::infinity();
    bool animating = false;  // a transition runs: every frame differs
    const Layer* top() const { return layers.empty() ? nullptr : &layers.back(); }
};

// What to have ready now: every slot on screen, and the next item once its lead has come.
struct Preparation {
    std::vector<Slot> on_screen;
    std::optional<size_t> next;
    std::vector<size_t> also;         // a fixed slot's first item, near its time
    std::vector<size_t> file_alerts;  // alert files on screen (indexes as in set_file_alerts)
    bool fallback = false;
};

enum class AlertMode { Fullscreen, Banner };

struct TimelineOptions {
    // Before the first item is ready nothing is shown; past this the fallback slide is.
    double first_item_patience = 3.0;
    // This playlist replaces another, whose last picture stays until the first item is in.
    bool over_outgoing = false;
    // The playlist's order: schedules, groups, tags, fixed slots, alert items. nullptr: every
    // item in turn (and no fixed slots or alert items).
    std::shared_ptr<const PlayPlan> plan;
    // The wall-clock instant of the timeline's time 0 (schedules are written in wall time).
    WallTime wall_origin = 0;
    AlertMode alert_mode = AlertMode::Fullscreen;
    double alert_rotate = 10;  // seconds each alert shows while several are up
    bool idle_blank = false;   // nothing in schedule: a black screen, not the fallback slide
};

class Timeline {
public:
    Timeline(const Timeline&) = delete;  // its order points at its own wall origin
    Timeline& operator=(const Timeline&) = delete;
    explicit Timeline(std::vector<ItemTiming> items, TimelineOptions options = {});

    // Moves time forward to `now`, asking `facts` what it needs to know.
    void advance(double now, ItemFacts& facts);

    // The layers on screen at `now` (no earlier than the last advance).
    Picture picture(double now) const;
    // What to prepare at `now`, and when something not yet due must be prepared (infinity: no).
    Preparation preparation(double now) const;
    double next_preparation(double now) const;

    // When the slot on screen ends (infinity with none): a new playlist takes over there, so
    // the item on screen gets its full time.
    double slot_end() const;
    // Moves every time the timeline holds by `by` seconds: the caller's clock got a new origin
    // (`play` counts from the first item's start, as `render --at` does).
    void shift(double by);

    // The wall clock was set (NTP, a person): time 0 is now this wall instant. The schedule is
    // asked again from the next advance; the slot on screen runs on.
    void set_wall_origin(WallTime origin);
    WallTime wall(double t) const { return m_options.wall_origin + t; }
    // The alert files now in the alerts folder; the picture shows those up at each instant.
    void set_file_alerts(std::vector<AlertSpan> alerts);
    // Which alerts are up at `t`: alert items (their slot's item) and files, in rotation order.
    struct AlertRef {
        bool file = false;
        size_t index = 0;  // the item, or the file's index
        bool operator==(const AlertRef&) const = default;
    };
    std::vector<AlertRef> alerts_at(double t) const;
    const std::optional<Slot>& current() const { return m_sequencer.current(); }
    size_t size() const { return m_sequencer.size(); }

private:
    bool shows_fallback(double now) const;
    Picture loop_picture(double now) const;
    void run_fixed_slots(double now, ItemFacts& facts);
    void run_alerts(double now, ItemFacts& facts);
    std::optional<Layer> alert_layer(double now) const;
    double next_event(double now) const;  // fixed slots, alerts, schedule: when to look again

    Sequencer m_sequencer;
    TimelineOptions m_options;
    std::optional<double> m_started;   // the first advance
    bool m_had_item = false;           // an item has been on screen
    bool m_outgoing_done = false;      // the first item has faded in over the outgoing picture
    std::optional<size_t> m_next;      // the item after the one on screen (not Failed)
    double m_prepare_next_at = 0;      // when m_next is prepared (its lead before its turn)
    std::optional<FixedSlot> m_fixed;  // the next fixed-time slot
    double m_fixed_lead = 0;           // how long before it its first item is prepared
    bool m_fixed_waited = false;       // its first item was still loading at its time
    WallTime m_rule_wake = -kNever;    // nothing in schedule: when a schedule next turns on or off
    WallTime m_alert_edge = kNever;    // when alerts next come or go by themselves
    bool m_alert_edge_stale = true;
    double m_last_advance = -kNever;
    std::vector<AlertSpan> m_file_alerts;
    bool m_alerts_up = false;
};

}  // namespace signage
