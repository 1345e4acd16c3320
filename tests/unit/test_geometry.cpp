#include "playlist/base/geometry.h"

#include <catch2/catch.hpp>

using namespace signage;

TEST_CASE("fit_image letterboxes, crops and stretches", "[geometry]")
{
    Rect area{0, 0, 1920, 1080};
    auto contain = fit_image(1080, 1080, area, Fit::Contain);
    CHECK(contain.dest == Rect{420, 0, 1080, 1080});
    auto cover = fit_image(1080, 1080, area, Fit::Cover);
    CHECK(cover.dest == area);
    CHECK(cover.source == Rect{0, 236, 1080, 608});
    CHECK(fit_image(10, 10, area, Fit::Stretch).dest == area);
}

TEST_CASE("rotate_rect follows the picture's pixels when it turns clockwise", "[geometry]")
{
    // A 100x50 picture; the rectangle is its top-left 10x20 corner.
    Rect corner{0, 0, 10, 20};
    CHECK(rotate_rect(corner, 100, 50, 0) == corner);
    CHECK(rotate_rect(corner, 100, 50, 90) == Rect{30, 0, 20, 10});   // top-left goes top-right
    CHECK(rotate_rect(corner, 100, 50, 180) == Rect{90, 30, 10, 20});  // to bottom-right
    CHECK(rotate_rect(corner, 100, 50, 270) == Rect{0, 90, 20, 10});   // to bottom-left
    // Turning back undoes it (the turned picture is 50x100).
    for (int r : {90, 180, 270}) {
        Rect turned = rotate_rect(corner, 100, 50, r);
        bool sideways = r != 180;
        CHECK(rotate_rect(turned, sideways ? 50 : 100, sideways ? 100 : 50, (360 - r) % 360) == corner);
    }
}
