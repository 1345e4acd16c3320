// The alerts folder as a whole: which entries are read, and how CAP messages retire each other.
#include "playlist/alerts/alert_folder.h"

#include "playlist/alerts/alert_content.h"
#include "playlist/alerts/alert_file.h"
#include "playlist/alerts/cap_alert.h"
#include "playlist/base/posix_handles.h"

#include <algorithm>
#include <cerrno>
#include <fcntl.h>
#include <filesystem>
#include <sys/stat.h>

namespace signage {

namespace {

struct CapFile {
    Alert base;  // id and path
    CapMessage message;
    bool retired = false;
};

// The entry names that may be alerts, sorted, so "the first 100" and every error order are stable.
Result<std::vector<std::string>> list_names(DIR* listing, const std::string& dir)
{
    std::vector<std::string> names;
    errno = 0;
    while (const dirent* entry = ::readdir(listing)) {
        std::string name = entry->d_name;
        if (name != "." && name != ".." && !is_skipped_alert_name(name))
            names.push_back(std::move(name));
        errno = 0;
    }
    if (errno != 0)
        return os_error(dir, "list the alerts folder", errno);
    std::sort(names.begin(), names.end());
    return names;
}

// A reference without a sent time names every message of that sender and identifier. Times are
// compared as instants: "+08:00" and "-00:00" spellings of one moment are the same message.
bool refers_to(const CapReference& ref, const CapMessage& target)
{
    if (ref.sender != target.sender || ref.identifier != target.identifier)
        return false;
    if (ref.sent.empty())
        return true;
    auto sent = parse_cap_time(ref.sent);
    return sent && *sent == target.sent;
}

bool same_message(const CapMessage& a, const CapMessage& b)
{
    return a.sender == b.sender && a.identifier == b.identifier && a.sent == b.sent;
}

// Reads one entry into `shown` or `caps`, or says in `folder` why not.
void read_entry(int dir_fd, const std::string& dir, const std::string& name, AlertFolder& folder,
                std::vector<Alert>& shown, std::vector<CapFile>& caps)
{
    const std::string path = (std::filesystem::path(dir) / name).string();
    struct stat seen {};
    if (::fstatat(dir_fd, name.c_str(), &seen, AT_SYMLINK_NOFOLLOW) != 0) {
        if (errno != ENOENT)  // gone since the listing: removed, nothing to say
            folder.errors.push_back(os_error(path, "stat", errno));
        return;
    }
    if (S_ISDIR(seen.st_mode)) {
        folder.notices.push_back(Error{path, 0, "is a folder: alerts are read from the alerts folder itself, not "
                                                "from folders inside it"});
        return;
    }
    if (Status entry = check_alert_entry(dir_fd, name, path, seen, kMaxAlertFileBytes); !entry) {
        folder.errors.push_back(entry.error());
        return;
    }
    auto type = alert_file_type(name);
    if (!type) {
        folder.errors.push_back(Error{path, 0, "is not a kind of alert file: .txt for text, .png .jpg .jpeg .webp "
                                               ".bmp .gif for an image, .xml or .cap for a CAP alert"});
        return;
    }
    auto bytes = read_alert_file(dir_fd, name, path, kMaxAlertFileBytes);
    if (!bytes) {
        folder.errors.push_back(bytes.error());
        return;
    }
    Alert base;
    base.id = name;
    base.file = path;
    if (*type == AlertFileType::Cap) {
        auto message = parse_cap(*bytes, path);
        if (message)
            caps.push_back(CapFile{std::move(base), std::move(*message)});
        else
            folder.errors.push_back(message.error());
        return;
    }
    auto alert = *type == AlertFileType::Text ? text_alert(*bytes, std::move(base))
                                              : image_alert(*bytes, std::move(base));
    if (alert)
        shown.push_back(std::move(*alert));
    else
        folder.errors.push_back(alert.error());
}

// CAP semantics over the whole folder: only Actual messages count, an Update or Cancel retires the
// messages it references (whatever order the files sort in), a Cancel is never shown itself.
void resolve_caps(std::vector<CapFile>& caps, const std::string& language, AlertFolder& folder,
                  std::vector<Alert>& shown)
{
    for (CapFile& cap : caps) {
        if (cap.message.status != "Actual") {
            cap.retired = true;
            folder.notices.push_back(Error{cap.base.file, 0,
                                           "CAP status " + cap.message.status + ": not shown (only status Actual is)"});
        }
    }
    for (const CapFile& by : caps) {
        const std::string& type = by.message.msg_type;
        if (by.message.status != "Actual" || (type != "Update" && type != "Cancel"))
            continue;
        for (CapFile& target : caps) {
            if (&target == &by || target.retired)
                continue;
            for (const CapReference& ref : by.message.references) {
                if (refers_to(ref, target.message)) {
                    target.retired = true;
                    folder.notices.push_back(Error{target.base.file, 0,
                                                   (type == "Cancel" ? "cancelled by " : "replaced by the update ") +
                                                       by.base.id});
                    break;
                }
            }
        }
    }
    std::vector<const CapFile*> kept;
    for (const CapFile& cap : caps) {
        const std::string& type = cap.message.msg_type;
        if (cap.retired || type == "Cancel")
            continue;
        if (type != "Alert" && type != "Update") {
            folder.notices.push_back(Error{cap.base.file, 0, "CAP msgType " + type + ": not an alert to show"});
            continue;
        }
        // The same message dropped in twice (a copy under another name) goes round once.
        auto twin = std::find_if(kept.begin(), kept.end(),
                                 [&](const CapFile* k) { return same_message(k->message, cap.message); });
        if (twin != kept.end()) {
            folder.notices.push_back(
                Error{cap.base.file, 0, "the same CAP alert as " + (*twin)->base.id + ": shown once"});
            continue;
        }
        const CapInfo* info = choose_cap_info(cap.message, language);
        if (!info) {
            folder.errors.push_back(Error{cap.base.file, 0, "the CAP alert has no <info>: nothing to show"});
            continue;
        }
        auto alert = cap_alert(cap.message, *info, cap.base);
        if (!alert) {
            folder.errors.push_back(alert.error());
            continue;
        }
        kept.push_back(&cap);
        shown.push_back(std::move(*alert));
    }
}

}  // namespace

AlertFolder read_alert_folder(const std::string& dir, const std::string& language)
{
    AlertFolder folder;
    UniqueDir listing(::opendir(dir.c_str()));
    if (!listing) {
        if (errno != ENOENT)  // no folder: no alerts, which is the usual state
            folder.errors.push_back(os_error(dir, "open the alerts folder", errno));
        return folder;
    }
    auto names = list_names(listing.get(), dir);
    if (!names) {
        folder.errors.push_back(names.error());
        return folder;
    }
    if (names->size() > kMaxAlertFiles) {
        folder.errors.push_back(Error{dir, 0,
                                      std::to_string(names->size() - kMaxAlertFiles) +
                                          " files ignored: the alerts folder holds at most " +
                                          std::to_string(kMaxAlertFiles) + " (the first by name are read)"});
        names->resize(kMaxAlertFiles);
    }

    std::vector<Alert> shown;
    std::vector<CapFile> caps;
    const int dir_fd = ::dirfd(listing.get());
    for (const std::string& name : *names)
        read_entry(dir_fd, dir, name, folder, shown, caps);
    resolve_caps(caps, language, folder, shown);

    std::sort(shown.begin(), shown.end(), [](const Alert& a, const Alert& b) {
        return a.effective != b.effective ? a.effective < b.effective : a.id < b.id;
    });
    folder.alerts = std::move(shown);
    return folder;
}

std::vector<const Alert*> active_alerts(const AlertFolder& folder, WallTime t)
{
    std::vector<const Alert*> up;
    for (const Alert& alert : folder.alerts)
        if (alert.active(t))
            up.push_back(&alert);
    return up;
}

WallTime next_alert_change(const AlertFolder& folder, WallTime t)
{
    WallTime next = kNever;
    for (const Alert& alert : folder.alerts) {
        if (alert.effective > t)
            next = std::min(next, alert.effective);
        if (alert.expires > t)
            next = std::min(next, alert.expires);
    }
    return next;
}

}  // namespace signage
