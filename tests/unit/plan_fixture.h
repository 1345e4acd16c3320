// A playlist written inline, its plan for a screen, and what `schedule` would print for it: the
// shared set-up of the schedule, plan and simulated-week tests.
#pragma once

#include "playlist/timeline/schedule_preview.h"

#include <catch2/catch.hpp>
#include <memory>
#include <string>

namespace signage::testing {

// Every item ready at its declared length: what `schedule` assumes, and a play where all loads
// are quick.
struct AllReady final : ItemFacts {
    Readiness readiness(size_t) override { return Readiness::Ready; }
    std::optional<double> length(size_t) override { return std::nullopt; }
    double end_delay(const Slot&) override { return 0; }
    double lead(size_t) override { return 2; }
};

struct PlanFixture {
    PlaylistLoad load;
    std::shared_ptr<const Playlist> playlist;
    TimeZone zone = TimeZone::utc();

    explicit PlanFixture(const std::string& text, const std::string& zone_name = "UTC")
    {
        load = parse_playlist_text(text, "p.ini", "/tmp");
        for (const Error& e : load.errors)
            FAIL(e.to_string());
        playlist = std::make_shared<const Playlist>(load.playlist);
        auto loaded = TimeZone::load(zone_name);
        REQUIRE(loaded);
        zone = *loaded;
    }

    std::shared_ptr<const PlayPlan> plan(std::vector<std::string> tags = {}, WallTime plausible_from = -kNever) const
    {
        return std::make_shared<const PlayPlan>(playlist, zone, std::move(tags), plausible_from);
    }

    // `video_seconds`: the length every video without a duration is taken to have.
    std::vector<ItemTiming> timings(double video_seconds = 30) const
    {
        std::vector<ItemTiming> out;
        for (const PlaylistItem& item : playlist->items)
            out.push_back(item_timing(item, video_seconds));
        return out;
    }

    WallTime at(const std::string& local) const
    {
        auto t = zone.parse_local(local);
        REQUIRE(t);
        return *t;
    }

    std::vector<PlayLine> preview(const std::string& from, double hours, std::vector<std::string> tags = {},
                                  std::vector<AlertSpan> alert_files = {}) const
    {
        PreviewSetup setup;
        setup.plan = plan(std::move(tags));
        setup.timings = timings();
        setup.from = at(from);
        setup.seconds = hours * 3600;
        setup.alert_files = std::move(alert_files);
        for (size_t i = 0; i < setup.alert_files.size(); ++i)
            setup.alert_names.push_back("alert" + std::to_string(i));
        return preview_schedule(setup);
    }

    std::string name(const PlayLine& line) const
    {
        return line.item ? playlist->items.at(*line.item).name : line.alert.empty() ? "(none)" : line.alert;
    }
};

}  // namespace signage::testing
