#include "player/render/strict_image.h"

#include <csetjmp>
#include <cstdio>
#include <jpeglib.h>

namespace signage {

namespace {

// libjpeg reports through this: a fatal error jumps back to the decode (it must not return),
// a warning (msg_level -1) is remembered and ends the decode as a refusal.
struct StrictErrors {
    jpeg_error_mgr base;
    std::jmp_buf back;
    char message[JMSG_LENGTH_MAX];
    bool failed;
};

void on_error(j_common_ptr info)
{
    auto* errors = reinterpret_cast<StrictErrors*>(info->err);
    info->err->format_message(info, errors->message);
    errors->failed = true;
    std::longjmp(errors->back, 1);
}

void on_message(j_common_ptr info, int level)
{
    if (level >= 0)
        return;  // trace messages
    auto* errors = reinterpret_cast<StrictErrors*>(info->err);
    info->err->format_message(info, errors->message);
    errors->failed = true;
    std::longjmp(errors->back, 1);
}

// Plain C below the setjmp: nothing with a destructor lives across it.
bool decode_all(FILE* file, StrictErrors& errors)
{
    jpeg_decompress_struct info;
    info.err = jpeg_std_error(&errors.base);
    errors.base.error_exit = on_error;
    errors.base.emit_message = on_message;
    errors.failed = false;
    errors.message[0] = '\0';
    if (setjmp(errors.back)) {
        jpeg_destroy_decompress(&info);
        return false;
    }
    jpeg_create_decompress(&info);
    jpeg_stdio_src(&info, file);
    jpeg_read_header(&info, TRUE);
    info.scale_num = 1;
    info.scale_denom = 8;
    info.dct_method = JDCT_IFAST;
    info.do_fancy_upsampling = FALSE;
    jpeg_start_decompress(&info);
    JSAMPARRAY row = (*info.mem->alloc_sarray)(reinterpret_cast<j_common_ptr>(&info), JPOOL_IMAGE,
                                               info.output_width * info.output_components, 1);
    while (info.output_scanline < info.output_height)
        jpeg_read_scanlines(&info, row, 1);
    jpeg_finish_decompress(&info);  // reads to the end marker: a file cut there warns here
    jpeg_destroy_decompress(&info);
    return !errors.failed;
}

}  // namespace

Status check_jpeg_strictly(const std::string& path)
{
    FILE* file = std::fopen(path.c_str(), "rb");
    if (!file)
        return Error{path, 0, "cannot open"};
    StrictErrors errors{};
    bool whole = decode_all(file, errors);
    std::fclose(file);
    if (!whole)
        return Error{path, 0, std::string("JPEG refused, partially decodable is not playable: ") + errors.message};
    return {};
}

}  // namespace signage
