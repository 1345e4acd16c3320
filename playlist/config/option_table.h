// Options as a table (after mpv's options.c): each key is declared once with its type, range,
// default and documentation, and that one declaration drives the INI loader, the defaults and
// docs/config.md. Used for player.ini and for playlist items.
#pragma once

#include "playlist/config/ini_reader.h"
#include "playlist/base/values.h"

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace signage {

enum class OptionKind { Bool, Int, Number, Seconds, Color, Choice, Path, Text, List };

template <typename Target>
struct OptionSpec {
    using Field = std::variant<bool Target::*, long Target::*, double Target::*, std::string Target::*,
                               Color Target::*, std::optional<Color> Target::*, std::vector<std::string> Target::*>;

    std::string_view section;  // INI section ("" for playlist item keys)
    std::string_view key;
    OptionKind kind;
    std::string_view default_text;  // as a user would write it; "" = unset
    double min = 0;
    double max = 0;
    std::string_view choices;  // for Choice: "a|b|c"
    std::string_view doc;
    Field field;
};

inline std::string_view option_kind_name(OptionKind kind)
{
    switch (kind) {
    case OptionKind::Bool: return "yes/no";
    case OptionKind::Int: return "integer";
    case OptionKind::Number: return "number";
    case OptionKind::Seconds: return "seconds";
    case OptionKind::Color: return "#RRGGBB";
    case OptionKind::Choice: return "choice";
    case OptionKind::Path: return "path";
    case OptionKind::Text: return "text";
    case OptionKind::List: return "list";
    }
    return "?";
}

// Parses `text` as the option's kind and stores it into `target`. Returns the reason on failure.
template <typename Target>
ValueError apply_option(const OptionSpec<Target>& spec, std::string_view text, Target& target)
{
    ValueError error;
    std::visit(
        [&](auto member) {
            using Member = std::remove_reference_t<decltype(target.*member)>;
            Member& slot = target.*member;
            if constexpr (std::is_same_v<Member, bool>) {
                error = parse_bool(text, slot);
            } else if constexpr (std::is_same_v<Member, long>) {
                error = parse_int(text, static_cast<long>(spec.min), static_cast<long>(spec.max), slot);
            } else if constexpr (std::is_same_v<Member, double>) {
                error = spec.kind == OptionKind::Seconds ? parse_seconds(text, spec.min, spec.max, slot)
                                                         : parse_number(text, spec.min, spec.max, slot);
            } else if constexpr (std::is_same_v<Member, Color>) {
                error = parse_color(text, slot);
            } else if constexpr (std::is_same_v<Member, std::optional<Color>>) {
                Color color;
                error = parse_color(text, color);
                if (error.empty())
                    slot = color;
            } else if constexpr (std::is_same_v<Member, std::vector<std::string>>) {
                slot = split_list(text);
            } else if constexpr (std::is_same_v<Member, std::string>) {
                if (spec.kind == OptionKind::Choice) {
                    error = parse_choice(text, spec.choices, slot);
                } else {
                    slot = std::string(text);
                    if (spec.kind == OptionKind::Path && slot.empty())
                        error = "expected a path, got nothing";
                }
            }
        },
        spec.field);
    return error;
}

template <typename Target>
const OptionSpec<Target>* find_option(std::span<const OptionSpec<Target>> table, std::string_view section,
                                      std::string_view key)
{
    for (const auto& spec : table)
        if (spec.section == section && spec.key == key)
            return &spec;
    return nullptr;
}

// Fills `target` with every default from the table (defaults are validated by a unit test).
template <typename Target>
void apply_defaults(std::span<const OptionSpec<Target>> table, Target& target)
{
    for (const auto& spec : table)
        if (!spec.default_text.empty())
            apply_option(spec, spec.default_text, target);
}

// Applies the keys of one INI section. Unknown keys become warnings, bad values errors, both
// as "file:line: key: reason".
template <typename Target>
void apply_section(std::span<const OptionSpec<Target>> table, std::string_view section_in_table,
                   const IniSection& section, const std::string& file, Target& target, std::vector<Error>& errors,
                   std::vector<Error>& warnings)
{
    for (const auto& entry : section.entries) {
        const auto* spec = find_option(table, section_in_table, entry.key);
        if (!spec) {
            warnings.push_back({file, entry.line, "unknown key \"" + entry.key + "\" in [" + section.name + "]; ignored"});
            continue;
        }
        ValueError error = apply_option(*spec, entry.value, target);
        if (!error.empty())
            errors.push_back({file, entry.line, entry.key + ": " + error});
    }
}

}  // namespace signage
