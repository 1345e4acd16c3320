// CAP 1.2 (OASIS Common Alerting Protocol) messages: the urgent alerts an authority publishes and a
// content manager drops into the alerts folder. Only what the player shows or needs to retire an
// alert is kept; areas, resources and parameters are not read.
#pragma once

#include "playlist/base/error.h"
#include "playlist/base/wall_time.h"

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace signage {

inline constexpr const char* kCapNamespace = "urn:oasis:names:tc:emergency:cap:1.2";
// Larger than any real alert by far; a bound so a hostile file cannot make the parser allocate freely.
inline constexpr size_t kMaxCapBytes = size_t{1} << 20;

// One "sender,identifier,sent" of <references>: an earlier message an Update or Cancel replaces.
// `sent` is empty when the reference left it out.
struct CapReference {
    std::string sender, identifier, sent;
};

// One <info> block. `language` is "en-US" when the block does not say (CAP's default).
struct CapInfo {
    std::string language, event, headline, description, urgency, severity;
    std::optional<WallTime> effective, onset, expires;
};

struct CapMessage {
    std::string identifier, sender, status, msg_type;
    WallTime sent = 0;
    std::vector<CapReference> references;
    std::vector<CapInfo> infos;
};

// Parses a CAP 1.2 <alert> with libxml2, hardened for files from a share (no DOCTYPE, so no entity
// is declared, expanded or loaded; no network; size bounded; nothing printed). Required: identifier,
// sender, sent, status (Actual, Exercise, System, Test, Draft), msgType (Alert, Update, Cancel, Ack,
// Error). Errors name the file and, for XML errors, the line, and say what is wrong:
// "expires: not a CAP date-time '…'", "not a CAP 1.2 alert: root element is <foo>", "missing <identifier>".
Result<CapMessage> parse_cap(std::string_view xml, const std::string& file);

// "2026-12-24T19:25:03+08:00", "…-05:00", "…Z" (tolerated though CAP forbids it), optional fractional
// seconds. CAP requires an offset: a local time without one names no instant and is refused.
Result<WallTime> parse_cap_time(std::string_view text);

// The instant as CAP writes it in UTC, whole seconds: "2026-12-24T11:25:03-00:00".
std::string format_cap_time(WallTime t);

}  // namespace signage
