// The player's log: one line per event on standard error (the journal under systemd), with a
// level, and "once per key" helpers so a broken file is reported once, not on every loop.
#pragma once

#include <string>
#include <string_view>

namespace signage::log {

enum class Level { Error = 0, Warn = 1, Info = 2, Debug = 3 };

void set_level(Level level);
bool set_level(std::string_view name);  // "error", "warn", "info", "debug"
bool enabled(Level level);

void write(Level level, std::string_view message);
inline void error(std::string_view m) { write(Level::Error, m); }
inline void warn(std::string_view m) { write(Level::Warn, m); }
inline void info(std::string_view m) { write(Level::Info, m); }
inline void debug(std::string_view m) { write(Level::Debug, m); }

// Writes only when `state` differs from what was last written for `key` (e.g. the path of a
// file and its error text): a broken file is logged when it breaks and when it recovers.
// With log_first = false the first state is recorded silently (e.g. "loaded fine").
void on_change(Level level, const std::string& key, const std::string& state, std::string_view message,
               bool log_first = true);
// Forgets a key so its next state is logged again.
void forget(const std::string& key);

}  // namespace signage::log
