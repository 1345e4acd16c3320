// When and where an item (or a group of items) plays: its schedule, the screens it targets,
// how often, and whether it is a fixed-time slot, an alert or idle content. Read from the
// playlist's keys (playlist.cpp declares them; docs/playlist.md explains them with examples).
#pragma once

#include "playlist/base/error.h"
#include "playlist/schedule/schedule_rules.h"

#include <optional>
#include <string>
#include <vector>

namespace signage {

enum class Priority { Normal, Alert };

struct PlayRules {
    std::optional<Schedule> schedule;   // unset: always in schedule
    std::vector<std::string> tags;      // empty: every screen; else a screen with one of them
    std::vector<std::string> not_tags;  // never on a screen with one of these
    long max_per_hour = 0;              // 0: no limit; else at most this many starts in any 60 minutes
    double weight = 1;                  // how often it is picked in a `pick = one` group
    std::optional<FixedTimes> at;       // a fixed-time slot: out of the loop, starts at these times
    Priority priority = Priority::Normal;
    bool idle = false;                  // plays only when nothing else is in schedule
    std::string zone;                   // the screen zone it plays in ([screen] layout); "": the main one

    // Whether a screen with these tags shows it (tags compared case-insensitively).
    bool targets(const std::vector<std::string>& screen_tags) const;
    // Out of the loop: played at its times, as an alert, or when idle.
    bool outside_loop() const { return at.has_value() || priority == Priority::Alert || idle; }
    // "mon-fri 08:00-18:00; tags bank; max 4/h" for `schedule` and the contact sheet; "" = always.
    std::string describe() const;
};

// The raw text of the rule keys of one section, with the line of each (for messages).
struct RuleKeys {
    std::string days, hours, dates, at;
    int days_line = 0, hours_line = 0, dates_line = 0, at_line = 0;
};

// Parses days/hours/dates/at into `rules`; each bad value is an error naming file:line.
void parse_rule_keys(const RuleKeys& keys, const std::string& file, PlayRules& rules, std::vector<Error>& errors,
                     std::vector<Error>& warnings);

}  // namespace signage
