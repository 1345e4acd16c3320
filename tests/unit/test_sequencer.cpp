#include "playlist/timeline/sequencer.h"

#include <catch2/catch.hpp>
#include <map>

using namespace signage;

namespace {
ReadinessFn all_ready()
{
    return [](size_t) { return Readiness::Ready; };
}
}  // namespace

TEST_CASE("sequencer plays items in order and loops", "[sequencer]")
{
    Sequencer seq({{4, 0}, {6, 1}, {2, 0.5}});
    seq.advance(0, all_ready());
    REQUIRE(seq.current()->item == 0);
    seq.advance(3.99, all_ready());
    CHECK(seq.current()->item == 0);
    seq.advance(4.0, all_ready());
    CHECK(seq.current()->item == 1);
    CHECK(seq.current()->start == 4.0);
    seq.advance(12.0, all_ready());
    CHECK(seq.current()->item == 0);  // 4 + 6 + 2 = 12: back to the start
    CHECK(seq.current()->start == 12.0);
}

TEST_CASE("a day of playback is exact and fast", "[sequencer]")
{
    Sequencer seq({{8, 0.5}, {8, 0.5}, {4, 0}});
    seq.advance(0, all_ready());
    seq.advance(86400.0, all_ready());  // 86400 / 20 = 4320 loops exactly
    CHECK(seq.current()->item == 0);
    CHECK(seq.current()->start == Approx(86400.0));
}

TEST_CASE("fade mixes the previous item into the current one", "[sequencer]")
{
    Sequencer seq({{4, 0}, {4, 1.0}});
    seq.advance(0, all_ready());
    auto at_start = seq.frame(0);
    CHECK_FALSE(at_start.previous);  // nothing faded in before the first item
    CHECK(at_start.mix == 1.0);
    seq.advance(4.5, all_ready());
    auto mid = seq.frame(4.5);
    REQUIRE(mid.previous);
    CHECK(mid.previous->item == 0);
    CHECK(mid.current->item == 1);
    CHECK(mid.mix == Approx(0.5));
    CHECK(mid.next_change == 4.5);  // animating
    auto after = seq.frame(5.0);
    CHECK_FALSE(after.previous);
    CHECK(after.next_change == 8.0);  // static until the next item
}

TEST_CASE("failed items are skipped, and the loop goes on", "[sequencer]")
{
    Sequencer seq({{4, 0}, {4, 0}, {4, 0}});
    auto readiness = [](size_t i) { return i == 1 ? Readiness::Failed : Readiness::Ready; };
    seq.advance(0, readiness);
    seq.advance(4, readiness);
    CHECK(seq.current()->item == 2);
    seq.advance(8, readiness);
    CHECK(seq.current()->item == 0);
}

TEST_CASE("a pending next item holds the current one instead of showing black", "[sequencer]")
{
    Sequencer seq({{4, 0}, {4, 0.5}});
    std::map<size_t, Readiness> state{{0, Readiness::Ready}, {1, Readiness::Pending}};
    auto readiness = [&](size_t i) { return state[i]; };
    seq.advance(0, readiness);
    seq.advance(5, readiness);
    CHECK(seq.current()->item == 0);  // held past its end
    state[1] = Readiness::Ready;
    seq.advance(5.2, readiness);
    CHECK(seq.current()->item == 1);
    CHECK(seq.current()->start == Approx(5.2));  // gets its whole slot and its fade
    CHECK(seq.frame(5.2).previous);
}

TEST_CASE("nothing playable gives the fallback, and recovery resumes", "[sequencer]")
{
    Sequencer seq({{4, 0}, {4, 0}});
    Readiness state = Readiness::Ready;
    auto readiness = [&](size_t) { return state; };
    seq.advance(0, readiness);
    REQUIRE(seq.current());
    state = Readiness::Failed;
    seq.advance(4, readiness);
    CHECK_FALSE(seq.current());
    CHECK_FALSE(seq.frame(4).current);
    state = Readiness::Ready;
    seq.advance(10, readiness);
    REQUIRE(seq.current());
    CHECK(seq.current()->start == 10);
}

TEST_CASE("an empty playlist has nothing to show", "[sequencer]")
{
    Sequencer seq({});
    seq.advance(100, all_ready());
    CHECK_FALSE(seq.current());
    CHECK_FALSE(seq.upcoming(all_ready()));
}

TEST_CASE("upcoming is the next non-failed item, wrapping around", "[sequencer]")
{
    Sequencer seq({{4, 0}, {4, 0}, {4, 0}});
    auto readiness = [](size_t i) { return i == 0 ? Readiness::Failed : Readiness::Ready; };
    CHECK(seq.upcoming(readiness) == 1u);
    seq.advance(0, readiness);
    CHECK(seq.current()->item == 1);
    CHECK(seq.upcoming(readiness) == 2u);
    seq.advance(4, readiness);
    CHECK(seq.upcoming(readiness) == 1u);
}

TEST_CASE("a single item repeats", "[sequencer]")
{
    Sequencer seq({{3, 0.5}});
    seq.advance(0, all_ready());
    seq.advance(7, all_ready());
    CHECK(seq.current()->item == 0);
    CHECK(seq.current()->start == 6);
}

TEST_CASE("a timing learnt late applies to the slot on screen and the next ones", "[sequencer]")
{
    // A video whose length is known only once opened: a long placeholder until then.
    Sequencer seq({{4, 0}, {86400, 1}});
    seq.advance(0, all_ready());
    seq.set_timing(1, {12.5, 1});
    seq.advance(4, all_ready());
    REQUIRE(seq.current()->item == 1);
    CHECK(seq.current()->duration == 12.5);
    // The file turns out truncated: it ends at its last good frame, and the loop goes on.
    seq.set_timing(1, {7.0, 1});
    CHECK(seq.current()->end() == 11.0);
    seq.advance(11.0, all_ready());
    CHECK(seq.current()->item == 0);
    CHECK(seq.current()->start == 11.0);
    // A fade longer than half a very short video is shortened.
    seq.set_timing(1, {1.0, 0.8});
    CHECK(seq.timing(1).fade_in == 0.5);
}

TEST_CASE("a fade into the next item overlaps the end of a video", "[sequencer]")
{
    // A 6 s video, then a slide fading in for 1 s, then a slide cut in. The video's picture stops
    // at its end, so the fade runs over its last second; a slide keeps its full time.
    ItemTiming video{6, 0, true};
    Sequencer seq({video, {4, 1.0}, {4, 1.0}});
    seq.advance(0, all_ready());
    CHECK(seq.frame(0).next_change == 5.0);  // wakes for the handover, not the end
    seq.advance(4.99, all_ready());
    CHECK(seq.current()->item == 0);
    seq.advance(5.0, all_ready());
    REQUIRE(seq.current()->item == 1);
    CHECK(seq.current()->start == 5.0);
    auto mid = seq.frame(5.5);
    REQUIRE(mid.previous);
    CHECK(mid.previous->item == 0);
    CHECK(mid.previous->end() == 6.0);  // the video plays to its end under the fade
    CHECK(mid.mix == Approx(0.5));
    // Slide to slide: the fade follows the end, as before.
    seq.advance(8.99, all_ready());
    CHECK(seq.current()->item == 1);
    seq.advance(9.0, all_ready());
    CHECK(seq.current()->item == 2);
    CHECK(seq.current()->start == 9.0);
    // A day later the cycle is still exact: 6 + 4 + 4 - 1 = 13 s.
    seq.advance(13.0 * 1000, all_ready());
    CHECK(seq.current()->item == 0);
    CHECK(seq.current()->start == Approx(13000.0));
}

TEST_CASE("a fade never takes more than half of the video it overlaps", "[sequencer]")
{
    Sequencer seq({{1.0, 0, true}, {4, 2.0}});
    seq.advance(0, all_ready());
    seq.advance(0.5, all_ready());
    REQUIRE(seq.current()->item == 1);
    CHECK(seq.current()->start == 0.5);
    // A cut after a video: no overlap.
    Sequencer cut({{3.0, 0, true}, {4, 0}});
    cut.advance(0, all_ready());
    CHECK(cut.frame(0).next_change == 3.0);
    cut.advance(2.9, all_ready());
    CHECK(cut.current()->item == 0);
    cut.advance(3.0, all_ready());
    CHECK(cut.current()->item == 1);
}

TEST_CASE("a next item late for an overlapping fade starts when it is ready", "[sequencer]")
{
    std::map<size_t, Readiness> state{{0, Readiness::Ready}, {1, Readiness::Pending}};
    auto readiness = [&](size_t item) { return state[item]; };
    Sequencer seq({{6, 0, true}, {4, 1.0}});
    seq.advance(0, readiness);
    seq.advance(5.2, readiness);  // the handover would be at 5, but the slide is not composed yet
    CHECK(seq.current()->item == 0);
    CHECK_FALSE(seq.frame(5.2).previous);
    state[1] = Readiness::Ready;
    seq.advance(5.4, readiness);
    REQUIRE(seq.current()->item == 1);
    CHECK(seq.current()->start == 5.4);  // its fade from now: not started in the past
    CHECK(seq.frame(5.4).mix == 0.0);
}

TEST_CASE("a sounding video's slot can end late, when its sound has been heard", "[sequencer]")
{
    Sequencer seq({{6, 0, true}, {4, 0}});
    seq.advance(0, all_ready());
    seq.delay_current_end(0.25);
    CHECK(seq.current()->end() == 6.25);
    CHECK(seq.frame(1).next_change == 6.25);
    seq.advance(6.1, all_ready());
    CHECK(seq.current()->item == 0);
    seq.advance(6.25, all_ready());
    REQUIRE(seq.current()->item == 1);
    CHECK(seq.current()->start == 6.25);
    seq.delay_current_end(0);  // the slide's own time
    CHECK(seq.current()->end() == 10.25);
}
