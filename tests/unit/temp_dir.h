// A scratch folder for one test, removed afterwards.
#pragma once

#include <filesystem>
#include <fstream>
#include <string>
#include <unistd.h>

namespace signage::testing {

struct TempDir {
    std::filesystem::path path;

    TempDir()
    {
        char name[] = "/tmp/signage-test-XXXXXX";
        path = ::mkdtemp(name);
    }
    ~TempDir() { std::filesystem::remove_all(path); }
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;

    std::string file(const std::string& relative) const { return (path / relative).string(); }

    // Writes through a temporary name and a rename, as an editor saving atomically does, so
    // a watcher never sees a half-written file.
    std::string write(const std::string& relative, const std::string& bytes) const
    {
        std::filesystem::path target = path / relative;
        std::filesystem::create_directories(target.parent_path());
        std::filesystem::path temporary = target.string() + ".tmp";
        std::ofstream(temporary, std::ios::binary) << bytes;
        std::filesystem::rename(temporary, target);
        return target.string();
    }
};

}  // namespace signage::testing
