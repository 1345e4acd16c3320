// Media bytes already in memory, read by FFmpeg through a custom AVIOContext (read and seek
// callbacks): the fuzz target feeds the player's probe and decoder this way, and anything that
// holds a file's bytes (a download, a test) can open them without writing a file.
#pragma once

#include "playlist/base/error.h"
#include "player/media/ffmpeg_handles.h"

#include <cstdint>
#include <memory>
#include <span>

namespace signage {

class MemoryInput {
public:
    // `bytes` are not copied: they must outlive the input and whatever was opened through it.
    static Result<std::unique_ptr<MemoryInput>> create(std::span<const uint8_t> bytes);
    MemoryInput(const MemoryInput&) = delete;
    MemoryInput& operator=(const MemoryInput&) = delete;

    // Owned by this object; hand it to AVFormatContext::pb with AVFMT_FLAG_CUSTOM_IO.
    AVIOContext* io() const { return m_io.get(); }
    uint64_t size() const { return m_bytes.size(); }

private:
    explicit MemoryInput(std::span<const uint8_t> bytes) : m_bytes(bytes) {}
    static int read(void* opaque, uint8_t* buffer, int size);
    static int64_t seek(void* opaque, int64_t offset, int whence);

    std::span<const uint8_t> m_bytes;
    uint64_t m_position = 0;
    IoContextPtr m_io;
};

}  // namespace signage
