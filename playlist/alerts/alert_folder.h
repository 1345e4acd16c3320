// The alerts folder: urgent notices a content manager drops next to the playlist (a .txt, an image,
// or a CAP 1.2 alert from an authority). Read whole on every change; what is up at an instant is a
// question about the result, so the player asks it with its injected clock.
#pragma once

#include "playlist/base/error.h"
#include "playlist/base/wall_time.h"

#include <cstddef>
#include <string>
#include <vector>

namespace signage {

struct Alert {
    enum class Kind { Text, Image };
    std::string id;            // file name inside alerts/, the key logs and rotation use
    std::string file;          // full path
    Kind kind = Kind::Text;
    std::string headline;      // .txt: first non-empty line; CAP: headline, else event
    std::string description;   // .txt: the remaining lines joined with '\n' (trimmed); CAP: description
    std::string image;         // Kind::Image: full path
    WallTime effective = -kNever;  // CAP: info effective, else sent; files: always
    WallTime expires = kNever;     // CAP: info expires; files: never (they go when removed)
    // For Cancel/Update references; cap_sent is the sent instant in UTC as CAP writes it
    // ("2026-12-24T11:25:03-00:00"), whatever offset the sender used.
    std::string cap_sender, cap_identifier, cap_sent;
    bool active(WallTime t) const { return effective <= t && t < expires; }
};

struct AlertFolder {
    std::vector<Alert> alerts;   // sorted by effective, then id: the rotation order
    std::vector<Error> errors;   // files that cannot be shown, each naming the file and why
    std::vector<Error> notices;  // left out on purpose: a CAP status Test/Exercise/System/Draft, a cancelled alert
};

inline constexpr size_t kMaxAlertFileBytes = 1u << 20;
inline constexpr size_t kMaxAlertFiles = 100;

// Reads every regular file directly in `dir` (not recursive: a subfolder is a notice). Skipped
// silently: hidden names (".x") and names ending in .tmp/.part/~ (a copy in progress). Refused with an
// error: symlinks, non-regular files (FIFO, socket, device: never opened), files over
// kMaxAlertFileBytes, unknown extensions, undecodable text, an empty .txt, images whose header is not
// a known image (images are not decoded here, the player does that). More than kMaxAlertFiles: the
// first 100 by name, an error says the rest are ignored. A missing folder is no alerts and no error.
//
// `.txt` (any encoding decode_text handles), `.png .jpg .jpeg .webp .bmp .gif` images, `.xml .cap` CAP.
// CAP: only status Actual is shown (others: a notice naming the status). The info block shown is the
// first whose language is `language` or starts with it and a '-' ("zh" matches "zh-CN", not "zha"),
// else the first. msgType Alert and Update are shown; Update and Cancel remove the alerts they
// reference (matched on sender+identifier, and sent when the reference gives one); a Cancel is never
// shown itself. An alert whose expires is before its effective is an error.
AlertFolder read_alert_folder(const std::string& dir, const std::string& language = "zh");

// The alerts up at t, in rotation order.
std::vector<const Alert*> active_alerts(const AlertFolder& folder, WallTime t);

// The first instant after t at which an alert of the folder becomes active or expires; kNever when none.
WallTime next_alert_change(const AlertFolder& folder, WallTime t);

}  // namespace signage
