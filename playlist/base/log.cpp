#include "playlist/base/log.h"

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <mutex>
#include <unistd.h>
#include <unordered_map>

namespace signage::log {

namespace {

std::atomic<int> g_level{static_cast<int>(Level::Info)};
std::mutex g_mutex;
std::unordered_map<std::string, std::string> g_last_state;

const char* level_name(Level level)
{
    switch (level) {
    case Level::Error: return "error";
    case Level::Warn: return "warning";
    case Level::Info: return "info";
    case Level::Debug: return "debug";
    }
    return "?";
}

}  // namespace

void set_level(Level level)
{
    g_level = static_cast<int>(level);
}

bool set_level(std::string_view name)
{
    if (name == "error")
        set_level(Level::Error);
    else if (name == "warn")
        set_level(Level::Warn);
    else if (name == "info")
        set_level(Level::Info);
    else if (name == "debug")
        set_level(Level::Debug);
    else
        return false;
    return true;
}

bool enabled(Level level)
{
    return static_cast<int>(level) <= g_level.load();
}

void write(Level level, std::string_view message)
{
    if (!enabled(level))
        return;
    // The journal adds its own timestamps; a terminal or a log file needs ours.
    static const bool with_time = !std::getenv("JOURNAL_STREAM");
    std::lock_guard lock(g_mutex);
    if (with_time) {
        auto now = std::chrono::system_clock::now();
        std::time_t seconds = std::chrono::system_clock::to_time_t(now);
        int millis = static_cast<int>(
            std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() % 1000);
        std::tm local{};
        localtime_r(&seconds, &local);
        char stamp[32];
        std::strftime(stamp, sizeof stamp, "%Y-%m-%d %H:%M:%S", &local);
        std::fprintf(stderr, "%s.%03d ", stamp, millis);
    }
    std::fprintf(stderr, "signage-player %s: %.*s\n", level_name(level), static_cast<int>(message.size()),
                 message.data());
}

void on_change(Level level, const std::string& key, const std::string& state, std::string_view message,
               bool log_first)
{
    {
        std::lock_guard lock(g_mutex);
        auto [it, inserted] = g_last_state.try_emplace(key, state);
        if (inserted && !log_first)
            return;
        if (!inserted) {
            if (it->second == state)
                return;
            it->second = state;
        }
    }
    write(level, message);
}

void forget(const std::string& key)
{
    std::lock_guard lock(g_mutex);
    g_last_state.erase(key);
}

}  // namespace signage::log
