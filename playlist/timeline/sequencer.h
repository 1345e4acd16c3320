// Decides what is on screen at each instant: the current item, and during a fade the one before
// it. Time comes from the caller (one injected clock), so tests run a day in a millisecond and
// `render --at T` replays exactly what `play` shows at T.
#pragma once

#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <vector>

namespace signage {

struct ItemTiming {
    double duration = 8;
    double fade_in = 0;  // crossfade from the previous item, at the start of this one
    // The next item's fade overlaps this one's last seconds instead of following its end. For a
    // video, whose picture stops at its end: held on its last frame it would look frozen while
    // fading out. A slide's picture can be held, so a slide keeps its full time before the fade.
    bool fade_over_end = false;
};

enum class Readiness { Ready, Pending, Failed };
using ReadinessFn = std::function<Readiness(size_t item)>;
// An item's length on screen as learnt by whoever plays it (a video's, once it is opened, or
// shorter when it ends early); nullopt while unknown or when its declared timing holds.
using LengthFn = std::function<std::optional<double>(size_t item)>;

struct Slot {
    size_t item = 0;
    double start = 0;
    double duration = 0;
    double offset = 0;  // seconds into the item at `start`: a slot resumed after an interruption
    bool fixed = false;  // part of a fixed-time slot
    bool idle = false;   // idle content: nothing else was in schedule
    bool loop_start = false;  // the first of a pass of the loop (screens in step switch playlists there)
    double end() const { return start + duration; }
};

using SkipFn = std::function<bool(size_t item)>;  // true: do not play it now (it failed)

// Which item comes next. The plain order plays every item in turn; a playlist with schedules,
// groups or tags plays in its PlayPlan's order (timeline.cpp). Times are the sequencer's.
class PlayOrder {
public:
    virtual ~PlayOrder() = default;
    // The item that would start at `at` after those taken so far; nullopt: none now.
    virtual std::optional<size_t> peek(double at, const SkipFn& skip) const = 0;
    // The same, moving on past it.
    virtual std::optional<size_t> take(double at, const SkipFn& skip) = 0;
    // Whether the last item taken is idle content (nothing else was in schedule).
    virtual bool took_idle() const { return false; }
    // Whether the last item taken began a pass of the loop.
    virtual bool took_loop_start() const = 0;
};

// Every item in turn, round and round, skipping those `skip` refuses.
class RoundRobinOrder final : public PlayOrder {
public:
    explicit RoundRobinOrder(size_t items) : m_items(items) {}
    std::optional<size_t> peek(double at, const SkipFn& skip) const override;
    std::optional<size_t> take(double at, const SkipFn& skip) override;
    bool took_loop_start() const override { return m_loop_start; }

private:
    size_t m_items;
    std::optional<size_t> m_last;
    bool m_loop_start = false;
};

struct FrameState {
    std::optional<Slot> current;   // nullopt: nothing playable, show the fallback slide
    std::optional<Slot> previous;  // set while current fades in over it
    double mix = 1.0;              // weight of current over previous, 0..1
    double next_change = 0;        // when the picture next changes without outside events
};

class Sequencer {
public:
    explicit Sequencer(std::vector<ItemTiming> items, std::unique_ptr<PlayOrder> order = nullptr);

    // Moves time forward to `now`. An item whose turn has come but whose content is still
    // Pending keeps the current one on screen (never black); Failed items are skipped.
    // With `length`, an item's learnt length is asked for before a slot of it starts, and for the
    // slot on screen (a play that ends early ends its slot there).
    void advance(double now, const ReadinessFn& readiness, const LengthFn& length = {});

    FrameState frame(double now) const;

    // The item that plays after the current one, to be prepared ahead of time; with nothing on
    // screen yet, the first candidate.
    std::optional<size_t> upcoming(const ReadinessFn& readiness) const;

    // An item's timing learnt late (a video's length is known once it is opened, or when a
    // truncated file ends early). Applies to the item's next slot, and to its slot on screen now
    // (which then ends at its start + the new duration; the next advance() moves on). The fade is kept shorter than the duration.
    void set_timing(size_t item, ItemTiming timing);
    // The item's length learnt (set_timing with its declared fade).
    void learn_length(size_t item, double length);
    const ItemTiming& timing(size_t item) const { return m_items.at(item); }

    // The slot on screen ends `lag` seconds later than its timing says (0 restores it). A video
    // with sound follows the sound card's clock, which starts a buffer or two late and may run a
    // little slow: its slot ends when its sound has been heard, not before.
    void delay_current_end(double lag);

    // Moves the slots' times by `by` seconds: the caller's clock got a new origin.
    void shift(double by);

    // A fixed-time slot: `items` start at `at`, one after the other, cutting into (or fading
    // over, per the first one's transition) whatever plays. Then the item cut resumes where it
    // was cut, for the rest of its time (a slot with an offset), and the loop goes on.
    void interrupt(const std::vector<size_t>& items, double at, const ReadinessFn& readiness);
    // Nothing plays from `at` (an alert holds the screen); the item on screen is kept to resume.
    void suspend(double at);
    // The loop plays again from `at`: the item suspended resumes, then the order goes on.
    void resume(double at);
    bool suspended() const { return m_suspended; }
    // Whether the slot on screen is part of a fixed-time slot.
    bool interrupting() const { return m_interrupting; }

    size_t size() const { return m_items.size(); }
    const std::optional<Slot>& current() const { return m_current; }

private:
    struct Resume {
        size_t item = 0;
        double offset = 0;
        double remaining = 0;
    };
    // The next item (an interruption's, the one to resume, or the order's) and whether it is
    // still loading; nullopt when nothing can play. take_next() moves on past it.
    std::optional<size_t> peek_next(double at, const ReadinessFn& readiness, bool& pending) const;
    Slot take_next(double at, const ReadinessFn& readiness);
    void keep_to_resume(double at);
    // How long `next`'s fade overlaps the end of the slot on screen (fade_over_end).
    double overlap(size_t next) const;

    void learn(size_t item, const LengthFn& length);

    std::vector<ItemTiming> m_items;
    std::unique_ptr<PlayOrder> m_order;
    std::vector<size_t> m_queue;        // an interruption's items still to play
    std::optional<Resume> m_resume;     // the item an interruption cut, to resume after it
    bool m_interrupting = false;
    bool m_suspended = false;
    std::optional<double> m_restart_at;  // resumed: when the next slot starts
    std::vector<double> m_declared_fades;  // before set_timing kept them shorter than a duration
    std::optional<Slot> m_current;
    std::optional<Slot> m_previous;
    bool m_holding = false;
    double m_longest_fade = 0;  // no slot hands over earlier than this before its end
    double m_overlap_hint = 0;  // how long before its end the slot on screen hands over (advance's guess)
    bool m_next_late = false;   // the next item was still pending near the handover
};

}  // namespace signage
