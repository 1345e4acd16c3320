#include "playlist/timeline/play_rules.h"

#include "playlist/base/ascii.h"
#include "playlist/base/values.h"

namespace signage {

bool PlayRules::targets(const std::vector<std::string>& screen_tags) const
{
    auto has = [&](const std::string& tag) {
        for (const std::string& mine : screen_tags)
            if (equal_nocase(trim_ascii(mine), trim_ascii(tag)))
                return true;
        return false;
    };
    for (const std::string& tag : not_tags)
        if (has(tag))
            return false;
    if (tags.empty())
        return true;
    for (const std::string& tag : tags)
        if (has(tag))
            return true;
    return false;
}

std::string PlayRules::describe() const
{
    std::vector<std::string> parts;
    if (at)
        parts.push_back(at->describe());
    if (schedule && !schedule->always())
        parts.push_back(schedule->describe());
    auto joined = [](const std::vector<std::string>& list) {
        std::string out;
        for (const std::string& s : list)
            out += (out.empty() ? "" : ",") + s;
        return out;
    };
    if (!tags.empty())
        parts.push_back("tags " + joined(tags));
    if (!not_tags.empty())
        parts.push_back("not " + joined(not_tags));
    if (!zone.empty())
        parts.push_back("zone " + zone);
    if (max_per_hour > 0)
        parts.push_back("max " + std::to_string(max_per_hour) + "/h");
    if (priority == Priority::Alert)
        parts.push_back("alert");
    if (idle)
        parts.push_back("idle");
    std::string out;
    for (const std::string& part : parts)
        out += (out.empty() ? "" : "; ") + part;
    return out;
}

void parse_rule_keys(const RuleKeys& keys, const std::string& file, PlayRules& rules, std::vector<Error>& errors,
                     std::vector<Error>& warnings)
{
    Schedule schedule;
    bool scheduled = false;
    auto fail = [&](int line, const char* key, const Error& error) {
        errors.push_back({file, line, std::string(key) + ": " + error.message});
    };
    if (!keys.days.empty()) {
        if (auto days = parse_days(keys.days)) {
            schedule.days = *days;
            scheduled = true;
        } else {
            fail(keys.days_line, "days", days.error());
        }
    }
    if (!keys.dates.empty()) {
        if (auto dates = parse_dates(keys.dates)) {
            schedule.dates = *dates;
            scheduled = true;
        } else {
            fail(keys.dates_line, "dates", dates.error());
        }
    }
    if (!keys.hours.empty()) {
        if (auto hours = parse_hours(keys.hours)) {
            schedule.hours = *hours;
            scheduled = true;
        } else {
            fail(keys.hours_line, "hours", hours.error());
        }
    }
    if (!keys.at.empty()) {
        auto times = parse_times(keys.at);
        if (!times) {
            fail(keys.at_line, "at", times.error());
            return;
        }
        // A fixed slot's days and dates say on which days its times come; hours mean nothing to it.
        FixedTimes fixed;
        fixed.times = *times;
        fixed.days = schedule.days;
        fixed.dates = schedule.dates;
        rules.at = fixed;
        if (!keys.hours.empty())
            warnings.push_back({file, keys.hours_line, "hours has no meaning beside at (a fixed slot); ignored"});
        return;
    }
    if (scheduled)
        rules.schedule = schedule;
}

}  // namespace signage
