// Feeds arbitrary bytes to the CAP reader (libxml2 underneath), which reads alert files from the
// share. Besides crashes and sanitizer reports: errors name the file and a line within the text,
// a message that parses has its required fields, and CAP date-times survive a round trip.
#include "playlist/alerts/cap_alert.h"

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace {

void check(bool condition)
{
    if (!condition)
        __builtin_trap();
}

int count_lines(std::string_view text)
{
    int lines = 1;
    for (char c : text)
        lines += c == '\n' || c == '\r';  // libxml2 counts a lone \r as a line end too
    return lines;
}

void check_time(std::string_view text)
{
    auto t = signage::parse_cap_time(text);
    if (!t.ok()) {
        check(!t.error().message.empty());
        return;
    }
    check(std::isfinite(*t));
    double whole = std::floor(*t);
    check(*signage::parse_cap_time(signage::format_cap_time(whole)) == whole);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    std::string_view text(reinterpret_cast<const char*>(data), size);
    check_time(text.substr(0, 64));

    auto cap = signage::parse_cap(text, "/share/alerts/fuzz.xml");
    if (!cap.ok()) {
        check(cap.error().file == "/share/alerts/fuzz.xml");
        check(cap.error().line >= 0 && cap.error().line <= count_lines(text));
        check(!cap.error().message.empty());
        return 0;
    }
    check(!cap->identifier.empty() && !cap->sender.empty() && !cap->status.empty() && !cap->msg_type.empty());
    check(std::isfinite(cap->sent));
    for (const auto& ref : cap->references)
        check(!ref.sender.empty() && !ref.identifier.empty());
    for (const auto& info : cap->infos) {
        check(!info.language.empty());
        for (const auto& t : {info.effective, info.onset, info.expires})
            check(!t || std::isfinite(*t));
    }
    return 0;
}
