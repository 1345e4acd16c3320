#include "playlist/timeline/fixed_slot_check.h"

#include <algorithm>
#include <set>

namespace signage {

std::vector<Error> fixed_slot_collisions(const PlayPlan& plan, const std::function<double(size_t)>& length,
                                         WallTime from, int days)
{
    struct Run {
        WallTime start, end;
        size_t entry;
    };
    std::vector<Run> runs;
    const WallTime until = from + days * 86400.0;
    for (WallTime t = from; t < until && runs.size() < 100000;) {
        auto slot = plan.next_fixed(t);
        if (!slot || slot->start >= until)
            break;
        double seconds = 0;
        for (size_t item : slot->items)
            seconds += length(item);
        runs.push_back({slot->start, slot->start + seconds, slot->entry});
        // Entries starting at the same second: next_fixed gives the first in the file; the
        // others are found by asking each entry (the loop below), so step past this second.
        for (size_t e = 0; e < plan.playlist().fixed.size(); ++e) {
            if (e == slot->entry)
                continue;
            const PlayRules& rules = plan.playlist().rules(plan.playlist().fixed[e]);
            if (rules.at && rules.at->next_start(slot->start, plan.zone()) == slot->start)
                runs.push_back({slot->start, slot->start + seconds, e});
        }
        t = slot->start + 1;
    }
    std::sort(runs.begin(), runs.end(), [](const Run& a, const Run& b) { return a.start < b.start; });
    auto where = [&](size_t e) {
        const PlayEntry& entry = plan.playlist().fixed[e];
        return entry.is_group ? std::pair{plan.playlist().groups[entry.index].name,
                                          plan.playlist().groups[entry.index].source_line}
                              : std::pair{plan.playlist().items[entry.index].name,
                                          plan.playlist().items[entry.index].source_line};
    };
    std::vector<Error> out;
    std::set<std::pair<size_t, size_t>> reported;
    for (size_t i = 0; i < runs.size(); ++i)
        for (size_t j = i + 1; j < runs.size() && runs[j].start < runs[i].end; ++j) {
            auto pair = std::minmax(runs[i].entry, runs[j].entry);
            if (runs[i].entry == runs[j].entry || !reported.insert(pair).second)
                continue;
            auto [first, first_line] = where(runs[i].entry);
            auto [second, second_line] = where(runs[j].entry);
            out.push_back({plan.playlist().file, second_line,
                           "fixed slot [" + second + "] at " + plan.zone().format(runs[j].start) +
                               " collides with [" + first + "] (line " + std::to_string(first_line) +
                               "), which runs from " + plan.zone().format(runs[i].start) + " to " +
                               plan.zone().format(runs[i].end) + "; the later one cuts it short"});
        }
    return out;
}

}  // namespace signage
