// The order a screen plays a playlist in, as a pure function of the playlist, the screen's tags,
// its time zone and the wall-clock instants slots start at. `play`, `render --at` and `schedule`
// all walk it, so what `schedule` prints is what the screen does.
//
// The main loop plays its entries in file order. An item out of schedule (days, hours, dates),
// over its max_per_hour, not meant for this screen's tags or refused by the caller (a file that
// failed) is skipped, as a group whose own rules do not hold is. A group plays all its members in
// turn (`pick = all`) or one of them (`pick = one`), in file order or shuffled from its seed; an
// `every = N` group plays one member after every N items of the loop. When nothing of the loop is
// in schedule, the `idle = yes` entries play. Fixed-time slots (`at`) and alert items are asked
// for separately: they are not in the loop.
//
// The walk's state is a Cursor, a plain value: copying it and taking from the copy is a look
// ahead that changes nothing.
#pragma once

#include "playlist/base/wall_time.h"
#include "playlist/schedule/time_zone.h"
#include "playlist/timeline/playlist.h"
#include "playlist/timeline/sequencer.h"  // SkipFn

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace signage {

enum class PlayReason { Scheduled, Idle, Fixed, Alert };
std::string_view play_reason_name(PlayReason reason);

struct FixedSlot {
    WallTime start = kNever;
    std::vector<size_t> items;  // played one after the other (a group is a reel)
    size_t entry = 0;           // index into Playlist::fixed
};

// Which zone of the screen's layout a plan is for ([screen] layout).
struct ScreenZone {
    std::string name;   // "": no layout
    bool main = true;   // the main zone plays the entries without `zone`
    // Whether an entry whose (nearest) `zone` is this plays here.
    bool plays(const std::string& entry_zone) const;
};

class PlayPlan {
public:
    // `plausible_from`: a wall clock reading before this is plainly unset (a box booted without
    // its time): schedules cannot be trusted then, so only unscheduled entries play.
    // `screen_zone`: the zone of the screen's layout this plan fills; entries with `zone` play only
    // in the zone of that name, those without in the main zone.
    PlayPlan(std::shared_ptr<const Playlist> playlist, TimeZone zone, std::vector<std::string> screen_tags,
             WallTime plausible_from = -kNever, ScreenZone screen_zone = {});

    struct Cursor {
        std::vector<size_t> position;         // per node: the next member (pick = all)
        std::vector<char> picked;             // per node: one taken this pass (pick = one)
        std::vector<long> last;               // per node: the member picked last (-1: none)
        std::vector<uint64_t> random;         // per node: its shuffle's generator state
        std::vector<std::vector<size_t>> order;   // per node: this pass's shuffled order
        std::vector<std::vector<double>> credit;  // per node: smooth weighted round robin
        std::vector<long> since_every;        // per `every` group: loop items since it last played
        std::vector<std::vector<WallTime>> starts;  // per item, then per group: recent starts (max_per_hour)
        uint64_t loop_passes = 0;             // passes of the loop begun after the first
    };
    Cursor start() const;

    // The item to start at `at`, moving the cursor past it; nullopt when nothing is in schedule
    // (not even idle content).
    std::optional<size_t> take(Cursor& cursor, WallTime at, const SkipFn& skip, PlayReason* reason = nullptr) const;

    // The first fixed-time slot starting at or after `t` (several at once: the first in the file).
    std::optional<FixedSlot> next_fixed(WallTime t) const;
    // The alert items up at `t`, in file order.
    std::vector<size_t> alert_items(WallTime t) const;
    // The first instant after `t` when an alert item comes or goes.
    WallTime next_alert_change(WallTime t) const;

    // The first instant after `t` when any schedule of the playlist turns on or off.
    WallTime next_rule_change(WallTime t) const;
    // Whether anything at all (loop or idle) is in schedule at `t`, failures aside.
    bool anything_at(WallTime t) const;

    bool clock_plausible(WallTime t) const { return t >= m_plausible_from; }

    // Whether this screen shows the item at all (its tags and its groups' tags).
    bool targeted(size_t item) const { return m_targeted.at(item); }
    // Whether the item's own schedule and its groups' hold at `t` (tags, failures and
    // max_per_hour aside): what the contact sheet marks "not now". A fixed slot holds on a day
    // it has a start time: it is due that day, though its reel is on screen only at those times.
    bool scheduled_at(size_t item, WallTime t) const;
    const Playlist& playlist() const { return *m_playlist; }
    const TimeZone& zone() const { return m_zone; }

private:
    struct Node {
        std::vector<PlayEntry> members;
        GroupPick pick = GroupPick::All;
        bool shuffle = false;
        const PlayRules* rules = nullptr;  // nullptr: the loop itself
    };
    std::optional<size_t> take_node(size_t node, Cursor& cursor, WallTime at, const SkipFn& skip,
                                    int depth) const;
    std::optional<size_t> take_member(const PlayEntry& member, Cursor& cursor, WallTime at, const SkipFn& skip,
                                      int depth) const;
    std::optional<size_t> pick_one(size_t node, Cursor& cursor, WallTime at, const SkipFn& skip, int depth) const;
    bool eligible(const PlayEntry& entry, const Cursor& cursor, WallTime at, const SkipFn& skip) const;
    bool in_schedule(const PlayRules& rules, WallTime at) const;
    bool due_on_day_of(const FixedTimes& times, WallTime at) const;
    void record(const PlayEntry& entry, Cursor& cursor, WallTime at) const;
    size_t node_of(const PlayEntry& entry) const { return entry.index; }  // groups are nodes 0..G-1
    size_t history_of(const PlayEntry& entry) const;
    std::vector<size_t> reel(const PlayEntry& entry, WallTime at) const;

    std::shared_ptr<const Playlist> m_playlist;
    TimeZone m_zone;
    std::vector<Node> m_nodes;        // the groups, then the loop, then the idle entries
    size_t m_loop = 0, m_idle = 0;    // their node numbers
    std::vector<size_t> m_every;      // groups with every > 0
    std::vector<char> m_targeted;     // per item
    std::vector<char> m_group_targeted;
    WallTime m_plausible_from = -kNever;
};

}  // namespace signage
