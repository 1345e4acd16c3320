// The main loop's one timed wait, which any thread, and a signal handler, can cut short.
// An eventfd: writing to it is async-signal-safe, so SIGTERM wakes the loop at once.
#pragma once

namespace signage {

class Waker {
public:
    Waker();
    ~Waker();
    Waker(const Waker&) = delete;
    Waker& operator=(const Waker&) = delete;

    void wake();  // thread- and async-signal-safe
    // Sleeps up to `seconds` or until woken; clears pending wakes.
    void wait(double seconds);
    int fd() const { return m_fd; }

private:
    int m_fd = -1;
};

}  // namespace signage
