#include "player/media/colour_tags.h"

extern "C" {
#include <libavutil/pixdesc.h>
}

#include <cstring>
#include <type_traits>

namespace signage {

namespace {

// Reads the field's bits as its underlying integer (never as the enum, which would already be
// the undefined behaviour), and puts `unspecified` there unless FFmpeg has a name for the value.
template <typename Enum>
void keep_known(Enum& field, int count, const char* (*name)(Enum), Enum unspecified)
{
    std::underlying_type_t<Enum> raw;
    static_assert(sizeof raw == sizeof field);
    std::memcpy(&raw, &field, sizeof raw);
    const auto value = static_cast<long long>(raw);
    if (value >= 0 && value < count && name(static_cast<Enum>(raw)))
        return;
    field = unspecified;
}

}  // namespace

void sanitize_colour_tags(AVCodecParameters& p)
{
    keep_known(p.color_space, AVCOL_SPC_NB, av_color_space_name, AVCOL_SPC_UNSPECIFIED);
    keep_known(p.color_range, AVCOL_RANGE_NB, av_color_range_name, AVCOL_RANGE_UNSPECIFIED);
    keep_known(p.color_primaries, AVCOL_PRI_NB, av_color_primaries_name, AVCOL_PRI_UNSPECIFIED);
    keep_known(p.color_trc, AVCOL_TRC_NB, av_color_transfer_name, AVCOL_TRC_UNSPECIFIED);
    keep_known(p.chroma_location, AVCHROMA_LOC_NB, av_chroma_location_name, AVCHROMA_LOC_UNSPECIFIED);
}

void sanitize_colour_tags(AVFrame& f)
{
    keep_known(f.colorspace, AVCOL_SPC_NB, av_color_space_name, AVCOL_SPC_UNSPECIFIED);
    keep_known(f.color_range, AVCOL_RANGE_NB, av_color_range_name, AVCOL_RANGE_UNSPECIFIED);
    keep_known(f.color_primaries, AVCOL_PRI_NB, av_color_primaries_name, AVCOL_PRI_UNSPECIFIED);
    keep_known(f.color_trc, AVCOL_TRC_NB, av_color_transfer_name, AVCOL_TRC_UNSPECIFIED);
    keep_known(f.chroma_location, AVCHROMA_LOC_NB, av_chroma_location_name, AVCHROMA_LOC_UNSPECIFIED);
}

}  // namespace signage
