// Colour: which matrix and range a frame is converted with, checked on real pixels. A flat
// frame of known Y'CbCr goes through VideoTexture and the software renderer; the pixel read back
// must be what the standard's equations give for the stream's matrix and range — and visibly
// not what the other matrix gives.
#include "tests/render/video_fixture.h"

#include <catch2/catch.hpp>

extern "C" {
#include <libavutil/common.h>
#include <libavutil/pixdesc.h>
}

#include <algorithm>
#include <cstring>

using namespace signage;
using namespace signage::testing;

namespace {

struct Rgb {
    int r, g, b;
};

// ITU-R equations: limited range Y' 16..235, Cb/Cr 16..240; full range 0..255.
Rgb expected_rgb(int y, int u, int v, double kr, double kb, bool full)
{
    double Y = full ? y / 255.0 : (y - 16) / 219.0;
    double Pb = full ? (u - 128) / 255.0 : (u - 128) / 224.0;
    double Pr = full ? (v - 128) / 255.0 : (v - 128) / 224.0;
    double R = Y + 2 * (1 - kr) * Pr;
    double B = Y + 2 * (1 - kb) * Pb;
    double G = (Y - kr * R - kb * B) / (1 - kr - kb);
    auto to8 = [](double c) { return static_cast<int>(std::lround(std::clamp(c, 0.0, 1.0) * 255)); };
    return {to8(R), to8(G), to8(B)};
}

constexpr double kBt601[] = {0.299, 0.114};
constexpr double kBt709[] = {0.2126, 0.0722};
constexpr double kBt2020[] = {0.2627, 0.0593};

// A flat frame; 4:2:0, 4:2:2, 4:4:4 planar, 10-bit planar or NV12, as `format` says.
FramePtr flat_frame(AVPixelFormat format, int w, int h, int y, int u, int v, AVColorSpace space, AVColorRange range)
{
    FramePtr f = make_frame();
    f->format = format;
    f->width = w;
    f->height = h;
    f->colorspace = space;
    f->color_range = range;
    REQUIRE(av_frame_get_buffer(f.get(), 0) == 0);
    const AVPixFmtDescriptor* d = av_pix_fmt_desc_get(format);
    int cw = AV_CEIL_RSHIFT(w, d->log2_chroma_w), ch = AV_CEIL_RSHIFT(h, d->log2_chroma_h);
    if (format == AV_PIX_FMT_NV12) {
        for (int row = 0; row < h; ++row)
            std::memset(f->data[0] + row * f->linesize[0], y, w);
        for (int row = 0; row < ch; ++row)
            for (int x = 0; x < cw; ++x) {
                f->data[1][row * f->linesize[1] + 2 * x] = static_cast<uint8_t>(u);
                f->data[1][row * f->linesize[1] + 2 * x + 1] = static_cast<uint8_t>(v);
            }
    } else if (format == AV_PIX_FMT_YUV420P10LE) {
        auto fill16 = [&](int plane, int pw, int ph, int value) {
            for (int row = 0; row < ph; ++row) {
                auto* line = reinterpret_cast<uint16_t*>(f->data[plane] + row * f->linesize[plane]);
                std::fill(line, line + pw, static_cast<uint16_t>(value << 2));
            }
        };
        fill16(0, w, h, y);
        fill16(1, cw, ch, u);
        fill16(2, cw, ch, v);
    } else if (format == AV_PIX_FMT_RGB24) {
        // y, u, v are R, G, B here.
        for (int row = 0; row < h; ++row)
            for (int x = 0; x < w; ++x) {
                uint8_t* p = f->data[0] + row * f->linesize[0] + 3 * x;
                p[0] = static_cast<uint8_t>(y);
                p[1] = static_cast<uint8_t>(u);
                p[2] = static_cast<uint8_t>(v);
            }
    } else {
        for (int row = 0; row < h; ++row)
            std::memset(f->data[0] + row * f->linesize[0], y, w);
        for (int plane : {1, 2})
            for (int row = 0; row < ch; ++row)
                std::memset(f->data[plane] + row * f->linesize[plane], plane == 1 ? u : v, cw);
    }
    return f;
}

Rgb centre(SDL_Surface* s)
{
    Uint32 p = pixel(s, s->w / 2, s->h / 2);
    return {red(p), green(p), blue(p)};
}

int distance(Rgb a, Rgb b)
{
    return std::max({std::abs(a.r - b.r), std::abs(a.g - b.g), std::abs(a.b - b.b)});
}

// A saturated orange: BT.601 and BT.709 disagree on it by 15 in green.
constexpr int kY = 110, kU = 100, kV = 200;

void check_colour(AVPixelFormat format, int w, int h, AVColorSpace space, AVColorRange range, const double* right,
                  const double* wrong, bool full, const char* path, Conversion conversion = Conversion::Renderer)
{
    FramePtr frame = flat_frame(format, w, h, kY, kU, kV, space, range);
    std::string used;
    SurfacePtr shown = draw_frame(*frame, &used, conversion);
    Rgb actual = centre(shown.get());
    Rgb want = expected_rgb(kY, kU, kV, right[0], right[1], full);
    Rgb other = expected_rgb(kY, kU, kV, wrong[0], wrong[1], full);
    INFO(av_get_pix_fmt_name(format) << " " << w << "x" << h << " " << av_color_space_name(space) << " "
                                     << av_color_range_name(range) << " via " << used << ": got " << actual.r << ","
                                     << actual.g << "," << actual.b << " want " << want.r << "," << want.g << ","
                                     << want.b);
    CHECK(used == path);
    CHECK(distance(actual, want) <= 4);
    CHECK(distance(actual, other) > distance(actual, want) + 4);
}

}  // namespace

TEST_CASE("upload plan: YUV as it is where SDL has the conversion, swscale otherwise", "[video][colour]")
{
    auto plan = plan_upload(AV_PIX_FMT_YUV420P, AVCOL_SPC_UNSPECIFIED, AVCOL_RANGE_UNSPECIFIED, 360);
    CHECK(plan.path == UploadPath::Iyuv);
    CHECK(plan.yuv_mode == SDL_YUV_CONVERSION_BT601);
    plan = plan_upload(AV_PIX_FMT_YUV420P, AVCOL_SPC_UNSPECIFIED, AVCOL_RANGE_UNSPECIFIED, 1080);
    CHECK(plan.yuv_mode == SDL_YUV_CONVERSION_BT709);
    plan = plan_upload(AV_PIX_FMT_YUV420P, AVCOL_SPC_BT709, AVCOL_RANGE_MPEG, 480);
    CHECK(plan.yuv_mode == SDL_YUV_CONVERSION_BT709);
    plan = plan_upload(AV_PIX_FMT_YUVJ420P, AVCOL_SPC_UNSPECIFIED, AVCOL_RANGE_UNSPECIFIED, 480);
    CHECK(plan.path == UploadPath::Iyuv);
    CHECK(plan.yuv_mode == SDL_YUV_CONVERSION_JPEG);
    plan = plan_upload(AV_PIX_FMT_NV12, AVCOL_SPC_BT709, AVCOL_RANGE_MPEG, 1080);
    CHECK(plan.path == UploadPath::Nv12);
    CHECK(plan.texture_format == SDL_PIXELFORMAT_NV12);
    plan = plan_upload(AV_PIX_FMT_YUV420P10LE, AVCOL_SPC_BT709, AVCOL_RANGE_MPEG, 1080);
    CHECK(plan.path == UploadPath::SwsToIyuv);
    plan = plan_upload(AV_PIX_FMT_YUV422P, AVCOL_SPC_BT470BG, AVCOL_RANGE_MPEG, 576);
    CHECK(plan.path == UploadPath::SwsToIyuv);
    CHECK(plan.yuv_mode == SDL_YUV_CONVERSION_BT601);
    // What SDL 2.26 cannot convert: full-range BT.709, BT.2020, RGB sources.
    CHECK(plan_upload(AV_PIX_FMT_YUV420P, AVCOL_SPC_BT709, AVCOL_RANGE_JPEG, 1080).path == UploadPath::SwsToRgb);
    CHECK(plan_upload(AV_PIX_FMT_YUV420P10LE, AVCOL_SPC_BT2020_NCL, AVCOL_RANGE_MPEG, 2160).path ==
          UploadPath::SwsToRgb);
    CHECK(plan_upload(AV_PIX_FMT_GBRP, AVCOL_SPC_RGB, AVCOL_RANGE_JPEG, 1080).path == UploadPath::SwsToRgb);
    CHECK(plan_upload(AV_PIX_FMT_RGB24, AVCOL_SPC_UNSPECIFIED, AVCOL_RANGE_UNSPECIFIED, 100).texture_format ==
          SDL_PIXELFORMAT_ARGB8888);
}

TEST_CASE("untagged video: BT.601 for SD, BT.709 for HD, limited range", "[video][colour]")
{
    check_colour(AV_PIX_FMT_YUV420P, 64, 360, AVCOL_SPC_UNSPECIFIED, AVCOL_RANGE_UNSPECIFIED, kBt601, kBt709, false,
                 "IYUV");
    check_colour(AV_PIX_FMT_YUV420P, 64, 720, AVCOL_SPC_UNSPECIFIED, AVCOL_RANGE_UNSPECIFIED, kBt709, kBt601, false,
                 "IYUV");
}

TEST_CASE("tagged video: the stream's matrix and range win over its size", "[video][colour]")
{
    check_colour(AV_PIX_FMT_YUV420P, 64, 360, AVCOL_SPC_BT709, AVCOL_RANGE_MPEG, kBt709, kBt601, false, "IYUV");
    check_colour(AV_PIX_FMT_YUV420P, 64, 1080, AVCOL_SPC_SMPTE170M, AVCOL_RANGE_MPEG, kBt601, kBt709, false, "IYUV");
    check_colour(AV_PIX_FMT_NV12, 64, 1080, AVCOL_SPC_BT709, AVCOL_RANGE_MPEG, kBt709, kBt601, false, "NV12");
    // Full range BT.601 (JPEG): SDL's own mode. Checked against limited range as the wrong answer.
    FramePtr full = flat_frame(AV_PIX_FMT_YUV420P, 64, 360, kY, kU, kV, AVCOL_SPC_BT470BG, AVCOL_RANGE_JPEG);
    std::string used;
    Rgb actual = centre(draw_frame(*full, &used).get());
    CHECK(used == "IYUV");
    CHECK(distance(actual, expected_rgb(kY, kU, kV, kBt601[0], kBt601[1], true)) <= 4);
    CHECK(distance(actual, expected_rgb(kY, kU, kV, kBt601[0], kBt601[1], false)) > 8);
}

TEST_CASE("what SDL cannot convert goes through swscale with the stream's colours", "[video][colour]")
{
    // Full-range BT.709 (some phones): no SDL mode, so swscale to RGB.
    FramePtr full709 = flat_frame(AV_PIX_FMT_YUV420P, 64, 1080, kY, kU, kV, AVCOL_SPC_BT709, AVCOL_RANGE_JPEG);
    std::string used;
    Rgb actual = centre(draw_frame(*full709, &used).get());
    CHECK(used == "swscale to RGB");
    CHECK(distance(actual, expected_rgb(kY, kU, kV, kBt709[0], kBt709[1], true)) <= 4);
    CHECK(distance(actual, expected_rgb(kY, kU, kV, kBt709[0], kBt709[1], false)) > 8);
    // BT.2020 (10-bit): matrix applied by swscale.
    check_colour(AV_PIX_FMT_YUV420P10LE, 64, 2160, AVCOL_SPC_BT2020_NCL, AVCOL_RANGE_MPEG, kBt2020, kBt709, false,
                 "swscale to RGB");
    // 10-bit and 4:2:2 with a matrix SDL has: swscale only changes the layout.
    check_colour(AV_PIX_FMT_YUV420P10LE, 64, 720, AVCOL_SPC_BT709, AVCOL_RANGE_MPEG, kBt709, kBt601, false,
                 "swscale to IYUV");
    check_colour(AV_PIX_FMT_YUV422P, 64, 360, AVCOL_SPC_UNSPECIFIED, AVCOL_RANGE_UNSPECIFIED, kBt601, kBt709, false,
                 "swscale to IYUV");
    // An RGB source keeps its colour.
    FramePtr rgb = flat_frame(AV_PIX_FMT_RGB24, 32, 32, 200, 120, 40, AVCOL_SPC_UNSPECIFIED, AVCOL_RANGE_UNSPECIFIED);
    actual = centre(draw_frame(*rgb, &used).get());
    CHECK(used == "swscale to RGB");
    CHECK(distance(actual, Rgb{200, 120, 40}) <= 1);
}

TEST_CASE("one texture is reused while size and format stay, and colours follow each frame", "[video][colour]")
{
    SurfacePtr target = make_argb_surface(64, 360);
    RendererPtr renderer(SDL_CreateSoftwareRenderer(target.get()));
    REQUIRE(renderer);
    VideoTexture texture(renderer.get(), Conversion::Renderer);  // YUV textures, as on a GPU
    for (int i = 0; i < 6; ++i) {
        AVColorSpace space = i % 2 ? AVCOL_SPC_BT709 : AVCOL_SPC_BT470BG;
        FramePtr frame = flat_frame(AV_PIX_FMT_YUV420P, 64, 360, kY, kU, kV, space, AVCOL_RANGE_MPEG);
        REQUIRE(texture.upload(*frame));
        texture.draw(nullptr, SDL_Rect{0, 0, 64, 360});
        SDL_RenderPresent(renderer.get());
        const double* k = i % 2 ? kBt709 : kBt601;
        CHECK(distance(centre(target.get()), expected_rgb(kY, kU, kV, k[0], k[1], false)) <= 4);
    }
    CHECK(texture.stats().uploads == 6);
    CHECK(texture.stats().textures_created == 1);
    // A new size makes a new texture; the same size again keeps it.
    FramePtr bigger = flat_frame(AV_PIX_FMT_YUV420P, 64, 362, kY, kU, kV, AVCOL_SPC_BT709, AVCOL_RANGE_MPEG);
    REQUIRE(texture.upload(*bigger));
    REQUIRE(texture.upload(*bigger));
    CHECK(texture.stats().textures_created == 2);
}

TEST_CASE("a rotated picture is drawn turned into its box", "[video][colour]")
{
    // 40x20 frame: left half dark, right half bright. Turned 90 degrees clockwise into a 20x40
    // box, the bright half is at the bottom.
    FramePtr frame = flat_frame(AV_PIX_FMT_YUV420P, 40, 20, 16, 128, 128, AVCOL_SPC_BT709, AVCOL_RANGE_MPEG);
    for (int row = 0; row < 20; ++row)
        std::memset(frame->data[0] + row * frame->linesize[0] + 20, 235, 20);
    SurfacePtr target = make_argb_surface(20, 40);
    RendererPtr renderer(SDL_CreateSoftwareRenderer(target.get()));
    VideoTexture texture(renderer.get());
    REQUIRE(texture.upload(*frame));
    SDL_RenderClear(renderer.get());
    texture.draw(nullptr, SDL_Rect{0, 0, 20, 40}, 90);
    SDL_RenderPresent(renderer.get());
    CHECK(green(pixel(target.get(), 10, 5)) < 30);
    CHECK(green(pixel(target.get(), 10, 35)) > 220);
}

TEST_CASE("the software renderer converts on the CPU with the stream's matrix and range", "[video][colour]")
{
    SurfacePtr target = make_argb_surface(8, 8);
    RendererPtr renderer(SDL_CreateSoftwareRenderer(target.get()));
    CHECK(VideoTexture(renderer.get()).conversion() == Conversion::Cpu);
    CHECK(plan_upload(AV_PIX_FMT_NV12, AVCOL_SPC_BT709, AVCOL_RANGE_MPEG, 1080, Conversion::Cpu).path ==
          UploadPath::SwsToScreen);

    const char* cpu = "swscale to the screen's RGB";
    check_colour(AV_PIX_FMT_YUV420P, 64, 360, AVCOL_SPC_UNSPECIFIED, AVCOL_RANGE_UNSPECIFIED, kBt601, kBt709, false, cpu,
                 Conversion::Cpu);
    check_colour(AV_PIX_FMT_YUV420P, 64, 720, AVCOL_SPC_UNSPECIFIED, AVCOL_RANGE_UNSPECIFIED, kBt709, kBt601, false, cpu,
                 Conversion::Cpu);
    check_colour(AV_PIX_FMT_YUV420P, 64, 1080, AVCOL_SPC_SMPTE170M, AVCOL_RANGE_MPEG, kBt601, kBt709, false, cpu,
                 Conversion::Cpu);
    check_colour(AV_PIX_FMT_NV12, 64, 1080, AVCOL_SPC_BT709, AVCOL_RANGE_MPEG, kBt709, kBt601, false, cpu,
                 Conversion::Cpu);
    check_colour(AV_PIX_FMT_YUV420P10LE, 64, 2160, AVCOL_SPC_BT2020_NCL, AVCOL_RANGE_MPEG, kBt2020, kBt709, false, cpu,
                 Conversion::Cpu);
    check_colour(AV_PIX_FMT_YUV422P, 64, 360, AVCOL_SPC_UNSPECIFIED, AVCOL_RANGE_UNSPECIFIED, kBt601, kBt709, false, cpu,
                 Conversion::Cpu);
    // Full range, both matrices (SDL has no full-range BT.709; swscale has every combination).
    for (AVColorSpace space : {AVCOL_SPC_BT470BG, AVCOL_SPC_BT709}) {
        const double* k = space == AVCOL_SPC_BT709 ? kBt709 : kBt601;
        FramePtr full = flat_frame(AV_PIX_FMT_YUV420P, 64, 720, kY, kU, kV, space, AVCOL_RANGE_JPEG);
        std::string used;
        Rgb actual = centre(draw_frame(*full, &used, Conversion::Cpu).get());
        CHECK(used == cpu);
        CHECK(distance(actual, expected_rgb(kY, kU, kV, k[0], k[1], true)) <= 4);
        CHECK(distance(actual, expected_rgb(kY, kU, kV, k[0], k[1], false)) > 8);
    }
    FramePtr rgb = flat_frame(AV_PIX_FMT_RGB24, 32, 32, 200, 120, 40, AVCOL_SPC_UNSPECIFIED, AVCOL_RANGE_UNSPECIFIED);
    CHECK(distance(centre(draw_frame(*rgb, nullptr, Conversion::Cpu).get()), Rgb{200, 120, 40}) <= 1);
}

TEST_CASE("on the CPU, frames are converted at the size they are drawn at", "[video][colour]")
{
    // 128x72: dark left half, bright right half. The screen is 64x36.
    FramePtr frame = flat_frame(AV_PIX_FMT_YUV420P, 128, 72, 16, 128, 128, AVCOL_SPC_BT709, AVCOL_RANGE_MPEG);
    for (int row = 0; row < 72; ++row)
        std::memset(frame->data[0] + row * frame->linesize[0] + 64, 235, 64);
    SurfacePtr target = make_argb_surface(64, 36);
    RendererPtr renderer(SDL_CreateSoftwareRenderer(target.get()));
    VideoTexture texture(renderer.get(), Conversion::Cpu);
    auto show = [&](const SDL_Rect* source) {
        REQUIRE(texture.upload(*frame));
        SDL_RenderClear(renderer.get());
        texture.draw(source, SDL_Rect{0, 0, 64, 36});
        SDL_RenderPresent(renderer.get());
    };
    // A picture larger than the screen is shrunk from the first frame on (to 64x36 here), then
    // converted at the size it is drawn at: one 64x36 texture, kept for the next frames.
    show(nullptr);
    show(nullptr);
    show(nullptr);
    CHECK(texture.width() == 128);
    CHECK(texture.height() == 72);
    CHECK(texture.stats().textures_created == 1);
    CHECK(texture.stats().sws_conversions == 3);
    int w = 0, h = 0;
    SDL_QueryTexture(texture.texture(), nullptr, nullptr, &w, &h);
    CHECK(w == 64);
    CHECK(h == 36);
    CHECK(green(pixel(target.get(), 8, 18)) < 30);
    CHECK(green(pixel(target.get(), 56, 18)) > 220);
    // A crop (cover) of the bright half: the next frame is converted at 128x36 and only its right
    // half drawn.
    const SDL_Rect right_half{64, 0, 64, 72};
    show(&right_half);
    show(&right_half);
    CHECK(texture.stats().textures_created == 2);
    SDL_QueryTexture(texture.texture(), nullptr, nullptr, &w, &h);
    CHECK(w == 128);
    CHECK(h == 36);
    for (int x : {0, 31, 32, 63})
        CHECK(green(pixel(target.get(), x, 18)) > 220);
    // Turned a quarter: the box is the turned picture's, the texture the unturned one's.
    SurfacePtr tall = make_argb_surface(36, 64);
    RendererPtr tall_renderer(SDL_CreateSoftwareRenderer(tall.get()));
    VideoTexture turned(tall_renderer.get(), Conversion::Cpu);
    for (int i = 0; i < 2; ++i) {
        REQUIRE(turned.upload(*frame));
        turned.draw(nullptr, SDL_Rect{0, 0, 36, 64}, 90);
        SDL_RenderPresent(tall_renderer.get());
    }
    SDL_QueryTexture(turned.texture(), nullptr, nullptr, &w, &h);
    CHECK(w == 64);
    CHECK(h == 36);
    CHECK(green(pixel(tall.get(), 18, 8)) < 30);
    CHECK(green(pixel(tall.get(), 18, 56)) > 220);
}

TEST_CASE("opaque pictures are converted straight into the software renderer's surface", "[video][colour]")
{
    // 128x72: dark left half, bright right half, drawn letterboxed into a 100x60 box at (10, 4)
    // of a grey 128x72 surface: 100 is not a multiple of swscale's pixel groups, so it may write
    // past the box; what is right of it must stay as drawn.
    FramePtr frame = flat_frame(AV_PIX_FMT_YUV420P, 128, 72, 16, 128, 128, AVCOL_SPC_BT709, AVCOL_RANGE_MPEG);
    for (int row = 0; row < 72; ++row)
        std::memset(frame->data[0] + row * frame->linesize[0] + 64, 235, 64);
    SurfacePtr target = make_argb_surface(128, 72);
    RendererPtr renderer(SDL_CreateSoftwareRenderer(target.get()));
    VideoTexture texture(renderer.get(), Conversion::Cpu);
    texture.draw_into(target.get());
    auto clear = [&] {
        SDL_SetRenderDrawColor(renderer.get(), 128, 128, 128, 255);
        SDL_RenderClear(renderer.get());
    };
    const SDL_Rect box{10, 4, 100, 60};
    for (int i = 0; i < 3; ++i) {
        REQUIRE(texture.upload(*frame));
        clear();
        texture.draw(nullptr, box);
        SDL_RenderPresent(renderer.get());
    }
    CHECK(texture.stats().direct_draws == 3);
    CHECK(texture.stats().textures_created == 0);
    CHECK(texture.texture() == nullptr);
    CHECK(green(pixel(target.get(), 15, 30)) < 30);    // left half of the picture
    CHECK(green(pixel(target.get(), 100, 30)) > 220);  // right half
    for (int x : {110, 111, 120, 127})                 // right of the box: the grey clear
        for (int y : {4, 30, 63})
            CHECK(green(pixel(target.get(), x, y)) == 128);
    CHECK(green(pixel(target.get(), 5, 30)) == 128);   // left of it
    CHECK(green(pixel(target.get(), 50, 2)) == 128);   // above
    CHECK(green(pixel(target.get(), 50, 66)) == 128);  // below

    // A crop (cover) of the bright half fills the box with it.
    const SDL_Rect right_half{64, 0, 64, 72};
    clear();
    texture.draw(&right_half, box);
    SDL_RenderPresent(renderer.get());
    for (int x : {10, 50, 109})
        CHECK(green(pixel(target.get(), x, 30)) > 220);

    // A fade blends through a texture, over what is drawn (the grey here), then the texture goes
    // back when the picture is opaque again.
    clear();
    texture.draw(nullptr, box, 0, 128);
    SDL_RenderPresent(renderer.get());
    CHECK(texture.stats().textures_created == 1);
    const int dark = green(pixel(target.get(), 15, 30)), bright = green(pixel(target.get(), 100, 30));
    CHECK(dark > 60);
    CHECK(dark < 80);  // ~ (16 + 128) / 2 after range expansion: (0 + 128) / 2
    CHECK(bright > 180);
    CHECK(bright < 200);  // (255 + 128) / 2
    clear();
    texture.draw(nullptr, box);
    SDL_RenderPresent(renderer.get());
    CHECK(texture.texture() == nullptr);
    CHECK(green(pixel(target.get(), 15, 30)) < 30);

    // A box reaching the right edge with a width swscale may overrun goes through the texture.
    const SDL_Rect edge{28, 0, 100, 72};
    clear();
    texture.draw(nullptr, edge);
    SDL_RenderPresent(renderer.get());
    CHECK(texture.stats().direct_draws == 5);
    CHECK(green(pixel(target.get(), 30, 30)) < 30);
    CHECK(green(pixel(target.get(), 127, 30)) > 220);
}
