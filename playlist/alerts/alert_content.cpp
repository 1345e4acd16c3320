#include "playlist/alerts/alert_content.h"

#include "playlist/base/ascii.h"
#include "playlist/media/image_header.h"
#include "playlist/text/text_encoding.h"

#include <cstdint>
#include <span>

namespace signage {

Result<Alert> text_alert(std::string_view bytes, Alert base)
{
    auto text = decode_text(bytes, base.file);
    if (!text)
        return text.error();
    std::vector<std::string> lines = split_lines(text->utf8);
    for (size_t i = 0; i < lines.size(); ++i)
        if (auto control = first_control_character(lines[i]))
            return Error{base.file, static_cast<int>(i + 1), "holds a control character (" + *control + "), not text"};
    size_t first = 0;
    while (first < lines.size() && trim(lines[first]).empty())
        ++first;
    if (first == lines.size())
        return Error{base.file, 0, "is empty: a text alert needs at least one line, its headline"};
    base.kind = Alert::Kind::Text;
    base.headline = trim(lines[first]);
    std::string rest;
    for (size_t i = first + 1; i < lines.size(); ++i)
        rest += (i > first + 1 ? "\n" : "") + lines[i];
    base.description = trim(rest);
    return base;
}

Result<Alert> image_alert(std::string_view bytes, Alert base)
{
    auto header = probe_image_header(std::span(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size()));
    if (!header)
        return Error{base.file, 0, header.error().message};
    base.kind = Alert::Kind::Image;
    base.image = base.file;
    return base;
}

const CapInfo* choose_cap_info(const CapMessage& message, std::string_view language)
{
    if (message.infos.empty())
        return nullptr;
    for (const CapInfo& info : message.infos) {
        const std::string& tag = info.language;
        if (!language.empty() && starts_with_nocase(tag, language) &&
            (tag.size() == language.size() || tag[language.size()] == '-'))
            return &info;
    }
    return &message.infos.front();
}

Result<Alert> cap_alert(const CapMessage& message, const CapInfo& info, Alert base)
{
    base.kind = Alert::Kind::Text;
    base.headline = info.headline.empty() ? info.event : info.headline;
    if (base.headline.empty())
        return Error{base.file, 0, "the CAP <info> has neither <headline> nor <event>: nothing to show"};
    base.description = info.description;
    base.effective = info.effective.value_or(message.sent);
    base.expires = info.expires.value_or(kNever);
    if (base.expires < base.effective)
        return Error{base.file, 0,
                     "expires (" + format_cap_time(base.expires) + ") is before effective (" +
                         format_cap_time(base.effective) + "): the alert would never be up"};
    base.cap_sender = message.sender;
    base.cap_identifier = message.identifier;
    base.cap_sent = format_cap_time(message.sent);
    return base;
}

}  // namespace signage
