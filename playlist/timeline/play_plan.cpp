#include "playlist/timeline/play_plan.h"

#include "playlist/base/ascii.h"

#include <algorithm>
#include <cmath>

namespace signage {

namespace {

constexpr double kHour = 3600;

// splitmix64: small, fast and the same everywhere, so a seed gives the same shuffle on every
// screen and in `schedule`.
uint64_t next_random(uint64_t& state)
{
    uint64_t z = (state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

uint64_t seed_of(const PlaylistGroup& group)
{
    // Unset seed: one from the group's name, stable across runs and screens.
    uint64_t seed = group.seed;
    if (seed == 0)
        for (unsigned char c : group.name)
            seed = seed * 131 + c;
    return seed;
}

}  // namespace

std::string_view play_reason_name(PlayReason reason)
{
    switch (reason) {
    case PlayReason::Scheduled: return "scheduled";
    case PlayReason::Idle: return "idle";
    case PlayReason::Fixed: return "fixed slot";
    case PlayReason::Alert: return "alert";
    }
    return "?";
}

bool ScreenZone::plays(const std::string& entry_zone) const
{
    return entry_zone.empty() ? main : equal_nocase(entry_zone, name);
}

PlayPlan::PlayPlan(std::shared_ptr<const Playlist> playlist, TimeZone zone, std::vector<std::string> screen_tags,
                   WallTime plausible_from, ScreenZone screen_zone)
    : m_playlist(std::move(playlist)), m_zone(std::move(zone)), m_plausible_from(plausible_from)
{
    const Playlist& list = *m_playlist;
    for (const PlaylistGroup& group : list.groups)
        m_nodes.push_back({group.members, group.pick, group.shuffle, &group.rules});
    m_loop = m_nodes.size();
    m_nodes.push_back({list.loop, GroupPick::All, false, nullptr});
    m_idle = m_nodes.size();
    m_nodes.push_back({list.idle, GroupPick::All, false, nullptr});
    for (size_t g = 0; g < list.groups.size(); ++g)
        if (list.groups[g].every > 0 && !list.groups[g].parent)
            m_every.push_back(g);

    // Targeting is fixed for a screen: an entry is for it when it and every group around it are.
    m_group_targeted.assign(list.groups.size(), 1);
    for (size_t g = 0; g < list.groups.size(); ++g) {
        int depth = 0;
        for (std::optional<size_t> at = g; at && depth <= kMaxGroupDepth; at = list.groups[*at].parent, ++depth)
            if (!list.groups[*at].rules.targets(screen_tags))
                m_group_targeted[g] = 0;
    }
    // An entry's zone is its own `zone`, else its nearest group's.
    auto zone_of = [&list](const PlayRules& rules, std::optional<size_t> group) {
        int depth = 0;
        for (std::optional<size_t> at = group; rules.zone.empty() && at && depth <= kMaxGroupDepth;
             at = list.groups[*at].parent, ++depth)
            if (!list.groups[*at].rules.zone.empty())
                return list.groups[*at].rules.zone;
        return rules.zone;
    };
    for (const PlaylistItem& item : list.items)
        m_targeted.push_back(item.rules.targets(screen_tags) && (!item.group || m_group_targeted[*item.group]) &&
                             screen_zone.plays(zone_of(item.rules, item.group)));
}

PlayPlan::Cursor PlayPlan::start() const
{
    Cursor cursor;
    size_t nodes = m_nodes.size();
    cursor.position.assign(nodes, 0);
    cursor.picked.assign(nodes, 0);
    cursor.last.assign(nodes, -1);
    cursor.random.assign(nodes, 0);
    cursor.order.assign(nodes, {});
    cursor.credit.assign(nodes, {});
    for (size_t g = 0; g < m_playlist->groups.size(); ++g)
        cursor.random[g] = seed_of(m_playlist->groups[g]);
    cursor.since_every.assign(m_every.size(), 0);
    cursor.starts.assign(m_playlist->items.size() + m_playlist->groups.size(), {});
    return cursor;
}

size_t PlayPlan::history_of(const PlayEntry& entry) const
{
    return entry.is_group ? m_playlist->items.size() + entry.index : entry.index;
}

bool PlayPlan::in_schedule(const PlayRules& rules, WallTime at) const
{
    if (!rules.schedule)
        return true;
    return clock_plausible(at) && rules.schedule->active(at, m_zone);
}

bool PlayPlan::eligible(const PlayEntry& entry, const Cursor& cursor, WallTime at, const SkipFn& skip) const
{
    const PlayRules& rules = m_playlist->rules(entry);
    if (entry.is_group ? !m_group_targeted[entry.index] : !m_targeted[entry.index])
        return false;
    if (!entry.is_group && skip && skip(entry.index))
        return false;
    if (!in_schedule(rules, at))
        return false;
    if (rules.max_per_hour > 0) {
        const auto& starts = cursor.starts[history_of(entry)];
        long recent = std::count_if(starts.begin(), starts.end(), [&](WallTime s) { return s > at - kHour; });
        if (recent >= rules.max_per_hour)
            return false;
    }
    return true;
}

void PlayPlan::record(const PlayEntry& entry, Cursor& cursor, WallTime at) const
{
    const PlayRules& rules = m_playlist->rules(entry);
    if (rules.max_per_hour <= 0)
        return;
    auto& starts = cursor.starts[history_of(entry)];
    std::erase_if(starts, [&](WallTime s) { return s <= at - kHour; });
    starts.push_back(at);
}

// One item from `member` of `node`: the item itself, or the next of the group's pass.
std::optional<size_t> PlayPlan::take_member(const PlayEntry& member, Cursor& cursor, WallTime at, const SkipFn& skip,
                                            int depth) const
{
    if (!eligible(member, cursor, at, skip))
        return std::nullopt;
    std::optional<size_t> item;
    if (!member.is_group)
        item = member.index;
    else
        item = take_node(node_of(member), cursor, at, skip, depth + 1);
    if (item)
        record(member, cursor, at);
    return item;
}

std::optional<size_t> PlayPlan::pick_one(size_t node, Cursor& cursor, WallTime at, const SkipFn& skip,
                                         int depth) const
{
    const Node& n = m_nodes[node];
    if (cursor.picked[node]) {
        cursor.picked[node] = 0;  // the pass of a `pick = one` group is that one item
        return std::nullopt;
    }
    size_t count = n.members.size();
    auto& credit = cursor.credit[node];
    credit.resize(count, 0.0);
    // Candidates in the order they are tried: shuffled by weight, or by smooth weighted round
    // robin (nginx's: every member gains its weight, the richest plays and pays the total).
    std::vector<size_t> tries;
    for (size_t i = 0; i < count; ++i)
        if (eligible(n.members[i], cursor, at, skip))
            tries.push_back(i);
    auto weight = [&](size_t i) {
        return m_playlist->rules(n.members[i]).weight;
    };
    while (!tries.empty()) {
        size_t chosen = tries.front();
        if (n.shuffle) {
            // Never the one just played, while there is another; with weights a member may
            // repeat, for its weight is its share of the plays.
            bool weighted = std::any_of(tries.begin(), tries.end(), [&](size_t i) { return weight(i) != weight(tries[0]); });
            std::vector<size_t> pool;
            for (size_t i : tries)
                if (weighted || static_cast<long>(i) != cursor.last[node] || tries.size() == 1)
                    pool.push_back(i);
            double total = 0;
            for (size_t i : pool)
                total += weight(i);
            double r = static_cast<double>(next_random(cursor.random[node]) >> 11) * 0x1.0p-53 * total;
            chosen = pool.back();
            for (size_t i : pool) {
                if (r < weight(i)) {
                    chosen = i;
                    break;
                }
                r -= weight(i);
            }
        } else {
            double total = 0;
            for (size_t i : tries) {
                credit[i] += weight(i);
                total += weight(i);
            }
            for (size_t i : tries)
                if (credit[i] > credit[chosen])
                    chosen = i;
            credit[chosen] -= total;
        }
        Cursor before = cursor;
        if (auto item = take_member(n.members[chosen], cursor, at, skip, depth)) {
            cursor.last[node] = static_cast<long>(chosen);
            cursor.picked[node] = 1;
            return item;
        }
        // A group member with nothing to play now: try another.
        cursor = std::move(before);
        std::erase(tries, chosen);
    }
    return std::nullopt;
}

// The next item of the node's pass; nullopt when the pass is over (the next call starts another).
std::optional<size_t> PlayPlan::take_node(size_t node, Cursor& cursor, WallTime at, const SkipFn& skip,
                                          int depth) const
{
    if (depth > kMaxGroupDepth + 2)
        return std::nullopt;
    const Node& n = m_nodes[node];
    if (n.pick == GroupPick::One)
        return pick_one(node, cursor, at, skip, depth);
    size_t count = n.members.size();
    auto& order = cursor.order[node];
    if (n.shuffle && order.size() != count) {
        // A new pass: a new order, whose first is not the one that ended the last pass.
        order.resize(count);
        for (size_t i = 0; i < count; ++i)
            order[i] = i;
        for (size_t i = count; i > 1; --i)
            std::swap(order[i - 1], order[next_random(cursor.random[node]) % i]);
        if (count > 1 && static_cast<long>(order[0]) == cursor.last[node])
            std::swap(order[0], order[1 + next_random(cursor.random[node]) % (count - 1)]);
    }
    size_t& position = cursor.position[node];
    while (position < count) {
        size_t index = n.shuffle ? order[position] : position;
        const PlayEntry& member = n.members[index];
        if (member.is_group) {
            if (auto item = take_member(member, cursor, at, skip, depth))
                return item;  // the group's pass goes on: stay on it
            ++position;
            continue;
        }
        ++position;
        if (auto item = take_member(member, cursor, at, skip, depth)) {
            cursor.last[node] = static_cast<long>(index);
            return item;
        }
    }
    position = 0;
    order.clear();
    return std::nullopt;
}

std::optional<size_t> PlayPlan::take(Cursor& cursor, WallTime at, const SkipFn& skip, PlayReason* reason) const
{
    if (reason)
        *reason = PlayReason::Scheduled;
    for (size_t e = 0; e < m_every.size(); ++e) {
        const PlaylistGroup& group = m_playlist->groups[m_every[e]];
        if (cursor.since_every[e] < group.every)
            continue;
        PlayEntry entry{true, m_every[e]};
        if (!eligible(entry, cursor, at, skip))
            continue;
        // An `every` group plays one member a turn, whatever its pick.
        Cursor before = cursor;
        auto item = take_node(m_every[e], cursor, at, skip, 0);
        if (!item)  // its pass had ended: the next one starts
            item = take_node(m_every[e], cursor, at, skip, 0);
        if (m_nodes[m_every[e]].pick == GroupPick::One)
            cursor.picked[m_every[e]] = 0;
        if (item) {
            record(entry, cursor, at);
            cursor.since_every[e] = 0;
            return item;
        }
        cursor = std::move(before);
    }
    // The pass may end on this call; a second call starts the next one.
    for (int attempt = 0; attempt < 2; ++attempt)
        if (auto item = take_node(m_loop, cursor, at, skip, 0)) {
            for (long& since : cursor.since_every)
                ++since;
            cursor.loop_passes += attempt;
            return item;
        }
    if (reason)
        *reason = PlayReason::Idle;
    for (int attempt = 0; attempt < 2; ++attempt)
        if (auto item = take_node(m_idle, cursor, at, skip, 0))
            return item;
    return std::nullopt;
}

std::vector<size_t> PlayPlan::reel(const PlayEntry& entry, WallTime at) const
{
    std::vector<size_t> items;
    if (!entry.is_group) {
        if (m_targeted[entry.index])
            items.push_back(entry.index);
        return items;
    }
    if (!m_group_targeted[entry.index])
        return items;
    // A fixed group is a reel: all its members once, in file order (nested groups likewise).
    std::vector<std::pair<size_t, size_t>> stack{{entry.index, 0}};
    while (!stack.empty() && stack.size() <= static_cast<size_t>(kMaxGroupDepth) + 1) {
        auto& [group, next] = stack.back();
        const auto& members = m_playlist->groups[group].members;
        if (next >= members.size()) {
            stack.pop_back();
            continue;
        }
        const PlayEntry& member = members[next++];
        const PlayRules& rules = m_playlist->rules(member);
        if (!in_schedule(rules, at))
            continue;
        if (member.is_group)
            stack.push_back({member.index, 0});
        else if (m_targeted[member.index])
            items.push_back(member.index);
    }
    return items;
}

std::optional<FixedSlot> PlayPlan::next_fixed(WallTime t) const
{
    std::optional<FixedSlot> best;
    if (!clock_plausible(t))
        return best;  // asked again once the clock is set (Timeline::set_wall_origin)
    for (size_t e = 0; e < m_playlist->fixed.size(); ++e) {
        const PlayEntry& entry = m_playlist->fixed[e];
        const PlayRules& rules = m_playlist->rules(entry);
        if (!rules.at)
            continue;
        WallTime start = rules.at->next_start(t, m_zone);
        if (start == kNever || (best && start >= best->start))
            continue;
        std::vector<size_t> items = reel(entry, start);
        if (!items.empty())
            best = FixedSlot{start, std::move(items), e};
    }
    return best;
}

std::vector<size_t> PlayPlan::alert_items(WallTime t) const
{
    std::vector<size_t> items;
    for (const PlayEntry& entry : m_playlist->alerts) {
        const PlayRules& rules = m_playlist->rules(entry);
        if (in_schedule(rules, t))
            for (size_t item : reel(entry, t))
                items.push_back(item);
    }
    return items;
}

WallTime PlayPlan::next_alert_change(WallTime t) const
{
    WallTime next = kNever;
    for (const PlayEntry& entry : m_playlist->alerts) {
        const PlayRules& rules = m_playlist->rules(entry);
        if (rules.schedule)
            next = std::min(next, rules.schedule->next_change(t, m_zone));
    }
    return next;
}

WallTime PlayPlan::next_rule_change(WallTime t) const
{
    WallTime next = kNever;
    auto consider = [&](const PlayRules& rules) {
        if (rules.schedule && !rules.schedule->always())
            next = std::min(next, rules.schedule->next_change(t, m_zone));
    };
    for (const PlaylistItem& item : m_playlist->items)
        consider(item.rules);
    for (const PlaylistGroup& group : m_playlist->groups)
        consider(group.rules);
    return next;
}

bool PlayPlan::due_on_day_of(const FixedTimes& times, WallTime at) const
{
    if (!clock_plausible(at))
        return false;
    CivilDate day = m_zone.local(at).date;
    WallTime next_day = m_zone.first_instant(add_days(day, 1), 0);
    return times.next_start(m_zone.first_instant(day, 0), m_zone) < next_day;
}

bool PlayPlan::scheduled_at(size_t item, WallTime t) const
{
    auto holds = [&](const PlayRules& rules) {
        return rules.at ? due_on_day_of(*rules.at, t) : in_schedule(rules, t);
    };
    const PlaylistItem& entry = m_playlist->items.at(item);
    if (!holds(entry.rules))
        return false;
    int depth = 0;
    for (std::optional<size_t> g = entry.group; g && depth <= kMaxGroupDepth; ++depth) {
        if (!holds(m_playlist->groups[*g].rules))
            return false;
        g = m_playlist->groups[*g].parent;
    }
    return true;
}

bool PlayPlan::anything_at(WallTime t) const
{
    Cursor cursor = start();
    return take(cursor, t, {}).has_value();
}

}  // namespace signage
