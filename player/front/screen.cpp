#include "player/front/screen.h"

#include "playlist/schedule/time_zone.h"

#include <filesystem>
#include <unistd.h>

namespace signage {

namespace {

class StartedWallClock final : public WallClock {
public:
    explicit StartedWallClock(WallTime start) : m_offset(start - m_system.now()) {}
    WallTime now() const override { return m_system.now() + m_offset; }

private:
    SystemWallClock m_system;
    double m_offset;
};

// Wall time as playback's clock counts it (sped up by --time-lapse), from `start`, set by
// `jump.second` seconds once playback reaches `jump.first`.
class PlaybackWallClock final : public WallClock {
public:
    PlaybackWallClock(WallTime start, const Clock& playback, std::optional<std::pair<double, double>> jump)
        : m_start(start - playback.now()), m_playback(playback), m_jump(jump)
    {
    }
    WallTime now() const override { return *at_playback(m_playback.now()); }
    std::optional<WallTime> at_playback(double t) const override
    {
        return m_start + t + (m_jump && t >= m_jump->first ? m_jump->second : 0);
    }

private:
    WallTime m_start;
    const Clock& m_playback;
    std::optional<std::pair<double, double>> m_jump;
};

}  // namespace

Result<std::unique_ptr<WallClock>> wall_clock_for(const CliOptions& cli, const Config& config, const Clock* playback)
{
    const bool scripted = playback && (cli.time_lapse != 1 || cli.clock_jump);
    if (cli.wall_clock.empty() && !scripted)
        return std::unique_ptr<WallClock>(std::make_unique<SystemWallClock>());
    WallTime start = SystemWallClock().now();
    if (!cli.wall_clock.empty()) {
        auto zone = TimeZone::load(config.timezone);
        if (!zone)
            return zone.error();
        auto parsed = zone->parse_local(cli.wall_clock);
        if (!parsed)
            return Error{"", 0, "--wall-clock: " + parsed.error().message};
        start = *parsed;
    }
    if (scripted)
        return std::unique_ptr<WallClock>(std::make_unique<PlaybackWallClock>(start, *playback, cli.clock_jump));
    return std::unique_ptr<WallClock>(std::make_unique<StartedWallClock>(start));
}

std::string alerts_folder(const PlayerSetup& setup)
{
    const Config& config = setup.config;
    if (!config.share.empty())
        return config.resolve(config.cache) + "/alerts/current/alerts";
    std::string folder = std::filesystem::path(setup.playlist.playlist.file).parent_path().string();
    return (folder.empty() ? std::string(".") : folder) + "/alerts";
}

std::string describe_screen(const Config& config)
{
    std::string id = config.screen_id;
    if (id.empty()) {
        char host[256] = {};
        id = ::gethostname(host, sizeof host - 1) == 0 ? host : "?";
    }
    std::string text = "screen " + id;
    if (!config.screen_tags.empty()) {
        std::string tags;
        for (const std::string& tag : config.screen_tags)
            tags += (tags.empty() ? "" : ", ") + tag;
        text += " (tags " + tags + ")";
    }
    auto zone = TimeZone::load(config.timezone);
    return text + ", time zone " + (zone ? zone->name() : config.timezone);
}

}  // namespace signage
