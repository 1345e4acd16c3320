// One playlist item as the play loop, `render` and the painter see it: a slogan, a poster, a
// video, the fallback slide or a held picture are all this one kind of thing, each with its own
// readiness, preparation, drawing and next change. Only the factory (make_item_layer) asks
// which kind an item is; a ticker, a clock or a zone will be more of them.
//
// Everything here runs on the render thread; loading happens on the show's loader thread.
#pragma once

#include "playlist/base/error.h"
#include "playlist/timeline/sequencer.h"
#include "player/media/sdl_handles.h"

#include <limits>
#include <optional>
#include <span>

namespace signage {

class ItemLayer {
public:
    virtual ~ItemLayer() = default;

    // Its timing as the playlist declares it (a video's length is learnt later: length()).
    virtual ItemTiming timing() const = 0;

    // Whether a slot of it could start now: its first picture is here (Ready), still loading or
    // not asked for yet (Pending), or broken and not yet due for a retry (Failed).
    virtual Readiness readiness(double now) const = 0;
    // Brings it in line with the timeline: `slots` are its slots on screen now (maybe none);
    // `wanted` says a new slot of it starts soon (or, for the fallback, that it is shown), so it
    // must be loaded ahead. What neither needs is let go. Returns whether a picture arrived.
    virtual bool update(double now, std::span<const Slot> slots, bool wanted) = 0;
    // `render`: blocks until its readiness is known (and its length, for a video); returns it.
    virtual Readiness settle(double now) = 0;

    // Its length on screen once learnt (a video's); nullopt: the playlist's timing holds.
    virtual std::optional<double> length() const { return std::nullopt; }
    // How long before its turn it is prepared (infinity: as soon as it is next).
    virtual double lead() const { return std::numeric_limits<double>::infinity(); }
    // How much later than its timing the slot should end (a video's sound heard late).
    virtual double end_delay(const Slot&) const { return 0; }

    // Moves the slot's picture to `now`; true when it changed (a new video frame).
    virtual bool advance(const Slot&, double /*now*/) { return false; }
    // `render`: the exact picture of the slot at `now`, waiting for it (never in `play`).
    virtual Status show_exactly(const Slot& slot, double now) = 0;
    // When the slot's picture next changes by itself; nullopt: not by itself.
    virtual std::optional<double> next_change(const Slot&, double /*now*/) const { return std::nullopt; }
    virtual bool has_picture(const Slot& slot) const = 0;
    // Draws the slot's picture over the whole canvas with opacity `opacity` (1: replaces).
    virtual void draw(const Slot& slot, double opacity) = 0;
    // The frame just drawn reached the screen at `now` (playback figures).
    virtual void presented(const Slot&, double /*now*/) {}
    // Hands over its picture, to stay on screen while another playlist takes over; nullptr
    // when it has none to give (a video's frames belong to its decoder).
    virtual TexturePtr detach_picture() { return nullptr; }
};

}  // namespace signage
