// From a parsed CAP document to a CapMessage: the fields the player uses, each checked, every error
// pointing at the element's line.
#include "playlist/alerts/cap_alert.h"

#include "playlist/alerts/safe_xml.h"
#include "playlist/base/ascii.h"
#include "playlist/text/text_encoding.h"

#include <array>
#include <cstring>

namespace signage {

namespace {

constexpr std::array kStatuses = {"Actual", "Exercise", "System", "Test", "Draft"};
constexpr std::array kMsgTypes = {"Alert", "Update", "Cancel", "Ack", "Error"};

template <size_t N>
bool one_of(const std::string& value, const std::array<const char*, N>& allowed)
{
    for (const char* a : allowed)
        if (value == a)
            return true;
    return false;
}

template <size_t N>
std::string listed(const std::array<const char*, N>& allowed)
{
    std::string out;
    for (const char* a : allowed)
        out += (out.empty() ? "" : ", ") + std::string(a);
    return out;
}

const xmlNode* cap_child(const xmlNode* parent, const char* name)
{
    return xml_child(parent, kCapNamespace, name);
}

// Element text without surrounding white space (U+3000 too: Chinese editors indent with it).
std::string cap_text(const xmlNode* parent, const char* name)
{
    return trim(xml_text(cap_child(parent, name)));
}

// A required single-token field: present and not blank.
Result<std::string> required(const xmlNode* parent, const char* name, const std::string& file)
{
    const xmlNode* node = cap_child(parent, name);
    if (!node)
        return Error{file, xml_line(parent), "missing <" + std::string(name) + ">"};
    std::string text = trim(xml_text(node));
    if (text.empty())
        return Error{file, xml_line(node), "<" + std::string(name) + "> is empty"};
    return text;
}

// An optional date-time element: absent is fine, present must parse.
Status read_time(const xmlNode* parent, const char* name, const std::string& file, std::optional<WallTime>& out)
{
    const xmlNode* node = cap_child(parent, name);
    if (!node)
        return Status{};
    auto time = parse_cap_time(xml_text(node));
    if (!time)
        return Error{file, xml_line(node), std::string(name) + ": " + time.error().message};
    out = *time;
    return Status{};
}

// <references>: whitespace-separated "sender,identifier,sent" (CAP forbids spaces and commas inside
// the first two). "sender,identifier" is taken too: it still names the message to retire.
Status read_references(const xmlNode* alert, const std::string& file, std::vector<CapReference>& out)
{
    const xmlNode* node = cap_child(alert, "references");
    if (!node)
        return Status{};
    std::string text = xml_text(node);
    size_t at = 0;
    while (at < text.size()) {
        while (at < text.size() && is_ascii_space(text[at]))
            ++at;
        size_t end = at;
        while (end < text.size() && !is_ascii_space(text[end]))
            ++end;
        if (end == at)
            break;
        std::string token = text.substr(at, end - at);
        at = end;
        size_t first = token.find(',');
        size_t second = first == std::string::npos ? first : token.find(',', first + 1);
        CapReference ref;
        ref.sender = token.substr(0, first);
        if (first != std::string::npos)
            ref.identifier = token.substr(first + 1, second == std::string::npos ? second : second - first - 1);
        if (second != std::string::npos)
            ref.sent = token.substr(second + 1);
        if (ref.sender.empty() || ref.identifier.empty() || ref.sent.find(',') != std::string::npos)
            return Error{file, xml_line(node), "references: not sender,identifier,sent: '" + token + "'"};
        out.push_back(std::move(ref));
    }
    return Status{};
}

Result<CapInfo> read_info(const xmlNode* node, const std::string& file)
{
    CapInfo info;
    info.language = cap_text(node, "language");
    if (info.language.empty())
        info.language = "en-US";  // CAP 1.2: the default when <language> is absent
    info.event = cap_text(node, "event");
    info.headline = cap_text(node, "headline");
    info.description = cap_text(node, "description");
    info.urgency = cap_text(node, "urgency");
    info.severity = cap_text(node, "severity");
    for (auto [name, field] : {std::pair{"effective", &info.effective}, std::pair{"onset", &info.onset},
                               std::pair{"expires", &info.expires}}) {
        if (Status read = read_time(node, name, file, *field); !read)
            return read.error();
    }
    return info;
}

}  // namespace

Result<CapMessage> parse_cap(std::string_view xml, const std::string& file)
{
    auto doc = parse_xml_safely(xml, file, kMaxCapBytes);
    if (!doc)
        return doc.error();
    const xmlNode* root = xmlDocGetRootElement(doc->get());
    if (!root)
        return Error{file, 0, "not a CAP 1.2 alert: no root element"};
    const char* root_name = reinterpret_cast<const char*>(root->name);
    if (std::strcmp(root_name, "alert") != 0)
        return Error{file, xml_line(root), "not a CAP 1.2 alert: root element is <" + std::string(root_name) + ">"};
    if (!root->ns || !xmlStrEqual(root->ns->href, BAD_CAST kCapNamespace)) {
        std::string ns = root->ns ? "namespace " + std::string(reinterpret_cast<const char*>(root->ns->href))
                                  : "no namespace";
        return Error{file, xml_line(root),
                     "not a CAP 1.2 alert: <alert> is in " + ns + ", not " + std::string(kCapNamespace)};
    }

    CapMessage message;
    for (auto [name, field] : {std::pair{"identifier", &message.identifier}, std::pair{"sender", &message.sender},
                               std::pair{"status", &message.status}, std::pair{"msgType", &message.msg_type}}) {
        auto text = required(root, name, file);
        if (!text)
            return text.error();
        *field = std::move(*text);
    }
    auto sent = required(root, "sent", file);
    if (!sent)
        return sent.error();
    auto sent_time = parse_cap_time(*sent);
    if (!sent_time)
        return Error{file, xml_line(cap_child(root, "sent")), "sent: " + sent_time.error().message};
    message.sent = *sent_time;
    if (!one_of(message.status, kStatuses))
        return Error{file, xml_line(cap_child(root, "status")),
                     "status: '" + message.status + "' is not a CAP status (" + listed(kStatuses) + ")"};
    if (!one_of(message.msg_type, kMsgTypes))
        return Error{file, xml_line(cap_child(root, "msgType")),
                     "msgType: '" + message.msg_type + "' is not a CAP message type (" + listed(kMsgTypes) + ")"};
    if (Status refs = read_references(root, file, message.references); !refs)
        return refs.error();

    for (const xmlNode* node = root->children; node; node = node->next) {
        if (node->type != XML_ELEMENT_NODE || !node->ns || !xmlStrEqual(node->ns->href, BAD_CAST kCapNamespace) ||
            !xmlStrEqual(node->name, BAD_CAST "info"))
            continue;
        auto info = read_info(node, file);
        if (!info)
            return info.error();
        message.infos.push_back(std::move(*info));
    }
    return message;
}

}  // namespace signage
