// Polls `condition` until it holds or `seconds` pass: for tests of worker threads (watchers, the
// sync service), which act in their own time. True when it held.
#pragma once

#include <chrono>
#include <thread>

namespace signage::testing {

template <typename F>
bool eventually(F condition, double seconds = 5)
{
    auto deadline = std::chrono::steady_clock::now() + std::chrono::duration<double>(seconds);
    while (std::chrono::steady_clock::now() < deadline) {
        if (condition())
            return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    return condition();
}

}  // namespace signage::testing
