#include "playlist/timeline/timeline.h"

#include <catch2/catch.hpp>
#include <cmath>
#include <map>

using namespace signage;

namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

// Facts a test sets by hand; counts what the timeline asked.
struct FakeFacts final : ItemFacts {
    std::map<size_t, Readiness> ready;      // default Ready
    std::map<size_t, double> lengths;       // learnt lengths
    std::map<size_t, double> leads;         // default: infinity (a slide)
    double delay = 0;
    int length_questions = 0;

    Readiness readiness(size_t item) override
    {
        auto it = ready.find(item);
        return it == ready.end() ? Readiness::Ready : it->second;
    }
    std::optional<double> length(size_t item) override
    {
        ++length_questions;
        auto it = lengths.find(item);
        return it == lengths.end() ? std::nullopt : std::optional<double>(it->second);
    }
    double end_delay(const Slot&) override { return delay; }
    double lead(size_t item) override
    {
        auto it = leads.find(item);
        return it == leads.end() ? kInf : it->second;
    }
};

std::vector<size_t> items_of(const Picture& picture)
{
    std::vector<size_t> out;
    for (const Layer& layer : picture.layers)
        out.push_back(layer.source == LayerSource::Item ? layer.slot.item : 1000 + static_cast<size_t>(layer.source));
    return out;
}

constexpr size_t kFallbackLayer = 1000 + static_cast<size_t>(LayerSource::Fallback);
constexpr size_t kOutgoingLayer = 1000 + static_cast<size_t>(LayerSource::Outgoing);

}  // namespace

TEST_CASE("timeline: one layer between transitions, two during a crossfade", "[timeline]")
{
    Timeline timeline({{4, 0}, {4, 1.0}});
    FakeFacts facts;
    timeline.advance(0, facts);
    Picture first = timeline.picture(0);
    CHECK(items_of(first) == std::vector<size_t>{0});
    CHECK(first.top()->opacity == 1.0);
    CHECK_FALSE(first.animating);
    CHECK(first.next_change == 4.0);

    timeline.advance(4.25, facts);
    Picture fading = timeline.picture(4.25);
    CHECK(items_of(fading) == std::vector<size_t>{0, 1});  // bottom first
    CHECK(fading.layers[0].opacity == 1.0);
    CHECK(fading.top()->opacity == Approx(0.25));
    CHECK(fading.animating);

    timeline.advance(5.5, facts);
    CHECK(items_of(timeline.picture(5.5)) == std::vector<size_t>{1});
}

TEST_CASE("timeline: nothing on screen while the first item loads, the fallback after patience", "[timeline]")
{
    Timeline timeline({{4, 0}, {4, 0}});
    FakeFacts facts;
    facts.ready = {{0, Readiness::Pending}, {1, Readiness::Pending}};
    timeline.advance(10, facts);
    CHECK(timeline.picture(10).layers.empty());
    Preparation wanted = timeline.preparation(10);
    REQUIRE(wanted.next);
    CHECK(*wanted.next == 0);  // the first item is loaded first
    CHECK_FALSE(wanted.fallback);

    timeline.advance(13, facts);  // 3 s of patience
    CHECK(items_of(timeline.picture(13)) == std::vector<size_t>{kFallbackLayer});
    CHECK(timeline.preparation(13).fallback);

    facts.ready.clear();
    timeline.advance(13.5, facts);
    CHECK(items_of(timeline.picture(13.5)) == std::vector<size_t>{0});
    CHECK(timeline.current()->start == 13.5);
}

TEST_CASE("timeline: the fallback at once when every item has failed", "[timeline]")
{
    Timeline timeline({{4, 0}});
    FakeFacts facts;
    facts.ready = {{0, Readiness::Failed}};
    timeline.advance(0, facts);
    CHECK(items_of(timeline.picture(0)) == std::vector<size_t>{kFallbackLayer});

    Timeline empty({});
    empty.advance(0, facts);
    CHECK(items_of(empty.picture(0)) == std::vector<size_t>{kFallbackLayer});
}

TEST_CASE("timeline: a new playlist fades in over the old picture, which stays until then", "[timeline]")
{
    TimelineOptions options;
    options.over_outgoing = true;
    Timeline timeline({{4, 1.0}}, options);
    FakeFacts facts;
    facts.ready = {{0, Readiness::Pending}};
    timeline.advance(0, facts);
    CHECK(items_of(timeline.picture(0)) == std::vector<size_t>{kOutgoingLayer});
    timeline.advance(10, facts);  // no fallback however long it takes: the old picture is there
    CHECK(items_of(timeline.picture(10)) == std::vector<size_t>{kOutgoingLayer});

    facts.ready.clear();
    timeline.advance(10, facts);
    Picture mixing = timeline.picture(10.5);
    CHECK(items_of(mixing) == std::vector<size_t>{kOutgoingLayer, 0});
    CHECK(mixing.top()->opacity == Approx(0.5));
    CHECK(mixing.animating);
    timeline.advance(11, facts);
    CHECK(items_of(timeline.picture(11)) == std::vector<size_t>{0});
}

TEST_CASE("timeline: a slide is prepared as soon as it is next, a video its lead before its turn", "[timeline]")
{
    Timeline timeline({{10, 0}, {10, 0.5}, {10, 0}});
    FakeFacts facts;
    facts.leads = {{1, 2.0}};
    timeline.advance(0, facts);
    Preparation early = timeline.preparation(0);
    CHECK_FALSE(early.next);  // item 1 is a "video": 2 s + its 0.5 s fade before 10 s
    CHECK(timeline.next_preparation(0) == Approx(7.5));
    REQUIRE(early.on_screen.size() == 1);
    CHECK(early.on_screen[0].item == 0);

    timeline.advance(7.5, facts);
    Preparation due = timeline.preparation(7.5);
    REQUIRE(due.next);
    CHECK(*due.next == 1);
    CHECK(timeline.next_preparation(7.5) == kInf);

    timeline.advance(10.1, facts);
    Preparation after = timeline.preparation(10.1);
    REQUIRE(after.next);
    CHECK(*after.next == 2);  // a slide: at once
    CHECK(after.on_screen.size() == 2);  // item 1 fading in over item 0
}

TEST_CASE("timeline: a failed item is skipped when choosing what to prepare", "[timeline]")
{
    Timeline timeline({{4, 0}, {4, 0}, {4, 0}});
    FakeFacts facts;
    facts.ready = {{1, Readiness::Failed}};
    timeline.advance(0, facts);
    REQUIRE(timeline.preparation(0).next);
    CHECK(*timeline.preparation(0).next == 2);
    timeline.advance(4, facts);
    CHECK(timeline.current()->item == 2);
}

TEST_CASE("timeline: a learnt length is asked before a slot starts, and ends the slot on screen", "[timeline]")
{
    Timeline timeline({{86400, 0, true}, {4, 0}});  // item 0: a video, its length unknown yet
    FakeFacts facts;
    facts.lengths = {{0, 6.0}};
    timeline.advance(0, facts);
    CHECK(timeline.current()->duration == 6.0);
    CHECK(timeline.picture(0).next_change == 6.0);
    // The play ends early (a truncated file): the slot ends there.
    facts.lengths = {{0, 5.0}};
    timeline.advance(5.0, facts);
    CHECK(timeline.current()->item == 1);
    CHECK(timeline.current()->start == 5.0);
}

TEST_CASE("timeline: a sounding video's slot ends when its sound has been heard", "[timeline]")
{
    Timeline timeline({{6, 0, true}, {4, 0}});
    FakeFacts facts;
    timeline.advance(0, facts);
    facts.delay = 0.2;
    timeline.advance(6.1, facts);
    CHECK(timeline.current()->item == 0);  // held until 6.2
    CHECK(timeline.slot_end() == Approx(6.2));
    timeline.advance(6.2, facts);
    CHECK(timeline.current()->item == 1);
    CHECK(timeline.current()->start == Approx(6.2));
}

TEST_CASE("timeline: a shifted clock keeps every slot in place", "[timeline]")
{
    Timeline timeline({{4, 0}, {4, 0.5}});
    FakeFacts facts;
    timeline.advance(0.37, facts);  // the first item became ready 0.37 s in
    timeline.shift(-0.37);
    CHECK(timeline.current()->start == 0.0);
    timeline.advance(4.0, facts);
    CHECK(timeline.current()->item == 1);
    CHECK(timeline.current()->start == 4.0);
}

TEST_CASE("timeline: a day in one advance gives the same picture as many small ones", "[timeline]")
{
    std::vector<ItemTiming> items{{8, 0.5}, {6, 0}, {5, 1.0, true}, {3, 0.25}};
    Timeline stepped(items), jumped(items);
    FakeFacts facts;
    stepped.advance(0, facts);
    jumped.advance(0, facts);
    for (double t = 0; t < 86400; t += 0.25)
        stepped.advance(t, facts);
    stepped.advance(86400, facts);
    jumped.advance(86400, facts);
    CHECK(items_of(stepped.picture(86400)) == items_of(jumped.picture(86400)));
    CHECK(stepped.current()->start == jumped.current()->start);
}
