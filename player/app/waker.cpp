#include "player/app/waker.h"

#include "playlist/base/file_io.h"
#include <cerrno>
#include <cmath>
#include <algorithm>
#include <cstdint>
#include <poll.h>
#include <sys/eventfd.h>
#include <unistd.h>

namespace signage {

Waker::Waker() : m_fd(::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC)) {}

Waker::~Waker()
{
    if (m_fd >= 0)
        ::close(m_fd);
}

void Waker::wake()
{
    uint64_t one = 1;
    write_all(m_fd, &one, sizeof one);
}

void Waker::wait(double seconds)
{
    if (seconds > 0) {
        pollfd p{m_fd, POLLIN, 0};
        int ms = static_cast<int>(std::ceil(std::min(seconds, 3600.0) * 1000));
        ::poll(&p, 1, ms);
    }
    uint64_t count = 0;
    read_some(m_fd, &count, sizeof count);
}

}  // namespace signage
