#include "playlist/share/publish.h"

#include "playlist/base/atomic_file.h"
#include "playlist/share/manifest.h"
#include "playlist/base/sha256.h"

#include <fcntl.h>

namespace signage {

Result<PublishReport> publish_manifest(const std::string& dir, const ScanLimits& limits)
{
    auto root = ShareRoot::open(dir);
    if (!root)
        return root.error();
    auto listing = scan_share(*root, limits);
    if (!listing)
        return listing.error();
    PublishReport report;
    report.manifest = root->full(std::string(kManifestName));
    report.refused = listing->refused;
    report.hidden_skipped = listing->hidden;
    Manifest manifest;
    for (const ShareFile& file : listing->files) {
        if (file.path == kManifestName)
            continue;
        std::string name = root->full(file.path);
        UniqueFd fd;
        if (int err = root->open_file(file.source, fd))
            return os_error(name, "open", err);
        struct stat before {};
        struct stat after {};
        if (::fstat(fd.get(), &before) != 0)
            return os_error(name, "stat", errno);
        auto sha = sha256_of_fd(fd.get(), name);
        if (!sha)
            return sha.error();
        if (::fstat(fd.get(), &after) != 0)
            return os_error(name, "stat", errno);
        auto changed = [&](const struct stat& s) {
            return static_cast<uint64_t>(s.st_size) != file.size || !same_mtime(s.st_mtim, file.mtime);
        };
        if (changed(before) || changed(after))
            return Error{name, 0, "changed while it was hashed (still being copied?); run publish again when copying is done"};
        manifest.entries.push_back({file.path, file.size, std::move(*sha)});
        ++report.files;
        report.bytes += file.size;
    }
    manifest.sort_and_check_unique();
    Status written = write_file_atomically(report.manifest,
                                           format_manifest(manifest, "sha256 size path; written by signage-player publish"));
    if (!written)
        return written.error();
    return report;
}

}  // namespace signage
