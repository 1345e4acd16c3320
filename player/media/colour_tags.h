// FFmpeg passes some colour tags through from the file unchecked (an MP4 "colr" box, an MPEG-2
// sequence display extension): a byte of garbage becomes an AVColorSpace of 129, which is no
// value of the enum (undefined behaviour to even read as one in C++) and which FFmpeg's own
// name functions answer with NULL. Every stream and frame the player looks at goes through
// here first: unknown tags become "unspecified", which the player already handles by guessing.
#pragma once

extern "C" {
#include <libavcodec/codec_par.h>
#include <libavutil/frame.h>
}

namespace signage {

void sanitize_colour_tags(AVCodecParameters& parameters);
void sanitize_colour_tags(AVFrame& frame);

}  // namespace signage
