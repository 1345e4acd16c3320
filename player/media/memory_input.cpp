#include "player/media/memory_input.h"

#include <algorithm>
#include <cstring>

namespace signage {

namespace {

// FFmpeg's own default for file reads; demuxers read small headers, so larger buys nothing.
constexpr int kBufferSize = 32 * 1024;

}  // namespace

Result<std::unique_ptr<MemoryInput>> MemoryInput::create(std::span<const uint8_t> bytes)
{
    std::unique_ptr<MemoryInput> input(new MemoryInput(bytes));
    auto* buffer = static_cast<unsigned char*>(av_malloc(kBufferSize));
    if (!buffer)
        return Error{"", 0, "out of memory for a media read buffer"};
    input->m_io.reset(avio_alloc_context(buffer, kBufferSize, 0, input.get(), &MemoryInput::read, nullptr,
                                         &MemoryInput::seek));
    if (!input->m_io) {
        av_free(buffer);
        return Error{"", 0, "out of memory for a media reader"};
    }
    return input;
}

int MemoryInput::read(void* opaque, uint8_t* buffer, int size)
{
    auto* self = static_cast<MemoryInput*>(opaque);
    if (size <= 0)
        return 0;
    if (self->m_position >= self->m_bytes.size())
        return AVERROR_EOF;
    size_t count = std::min<uint64_t>(static_cast<uint64_t>(size), self->m_bytes.size() - self->m_position);
    std::memcpy(buffer, self->m_bytes.data() + self->m_position, count);
    self->m_position += count;
    return static_cast<int>(count);
}

// Positions may go past the end (a read there is end of file), never before the start.
int64_t MemoryInput::seek(void* opaque, int64_t offset, int whence)
{
    auto* self = static_cast<MemoryInput*>(opaque);
    const auto size = static_cast<int64_t>(self->m_bytes.size());
    int64_t base = 0;
    switch (whence & ~AVSEEK_FORCE) {
    case AVSEEK_SIZE:
        return size;
    case SEEK_SET:
        base = 0;
        break;
    case SEEK_CUR:
        base = static_cast<int64_t>(self->m_position);
        break;
    case SEEK_END:
        base = size;
        break;
    default:
        return AVERROR(EINVAL);
    }
    // Offsets come from the file's own fields: refuse an overflowing sum instead of wrapping.
    if ((offset > 0 && base > INT64_MAX - offset) || base + offset < 0)
        return AVERROR(EINVAL);
    self->m_position = static_cast<uint64_t>(base + offset);
    return base + offset;
}

}  // namespace signage
