#include "player/render/font_set.h"

#include "playlist/base/log.h"
#include "playlist/text/text_encoding.h"

#include <algorithm>
#include <filesystem>
#include <fontconfig/fontconfig.h>

namespace signage {

namespace {

bool exists(const std::string& path)
{
    std::error_code ec;
    return std::filesystem::is_regular_file(path, ec);
}

bool is_space(char32_t c)
{
    return c == U' ' || c == U'\u3000' || c == U'\t';
}

}  // namespace

std::vector<FontSource> default_font_chain(const std::vector<std::string>& configured, const std::string& fonts_dir)
{
    std::vector<FontSource> chain;
    for (const auto& path : configured)
        chain.push_back({path, 0});
    // The bundled subset first: the campaign's characters always look the same on every box,
    // whatever the system's font version (golden-image tests rely on it too).
    chain.push_back({fonts_dir + "/NotoSansCJKsc-Bold-campaign.otf", 0});
    // Debian's fonts-noto-cjk; in the collection, face 2 is Simplified Chinese.
    chain.push_back({"/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc", 2});
    chain.push_back({"/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc", 2});
    chain.push_back({"/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf", 0});
    return chain;
}

Result<FontSet> FontSet::open(const std::vector<FontSource>& sources, int size_px)
{
    if (!TTF_WasInit() && TTF_Init() != 0)
        return Error{"", 0, sdl_error("cannot start SDL_ttf")};
    FontSet set;
    set.m_size = size_px;
    for (const auto& source : sources)
        set.m_faces.push_back({source, nullptr, false});
    // The primary font (face 0 after this) gives the line metrics, so it is opened now.
    while (!set.m_faces.empty() && !set.font(0))
        set.m_faces.erase(set.m_faces.begin());
    if (set.m_faces.empty()) {
        // Last resort: whatever fontconfig offers for Chinese, then for Latin.
        if (!set.add_fontconfig_face_for(U'中') && !set.add_fontconfig_face_for(U'A')) {
            std::string tried;
            for (const auto& source : sources)
                tried += " " + source.path;
            return Error{"", 0, "no usable font found; tried" + tried + " and fontconfig"};
        }
    }
    return set;
}

TTF_Font* FontSet::font(size_t face)
{
    Face& f = m_faces[face];
    if (f.font || f.broken)
        return f.font.get();
    if (!exists(f.source.path)) {
        f.broken = true;
        return nullptr;
    }
    f.font.reset(TTF_OpenFontIndex(f.source.path.c_str(), m_size, f.source.face_index));
    if (!f.font) {
        log::warn("font " + f.source.path + ": " + SDL_GetError() + "; skipped");
        f.broken = true;
    }
    return f.font.get();
}

void FontSet::set_size(int size_px)
{
    if (size_px == m_size)
        return;
    m_size = size_px;
    for (auto& face : m_faces)
        if (face.font)
            TTF_SetFontSize(face.font.get(), size_px);
}

size_t FontSet::face_for(char32_t c)
{
    if (is_space(c) || c < 0x20)
        return 0;
    for (size_t i = 0; i < m_faces.size(); ++i) {
        TTF_Font* f = font(i);
        if (f && (c > 0xFFFF ? TTF_GlyphIsProvided32(f, c) : TTF_GlyphIsProvided(f, static_cast<Uint16>(c))))
            return i;
    }
    if (m_unfindable.find(c) == std::u32string::npos && add_fontconfig_face_for(c))
        return m_faces.size() - 1;
    if (m_unfindable.find(c) == std::u32string::npos)
        m_unfindable.push_back(c);
    return 0;  // the primary font's "missing glyph" box: visible, and `check` reports it
}

bool FontSet::add_fontconfig_face_for(char32_t c)
{
    // Bounded: each extra face costs memory; a hostile slogan cannot make us open hundreds.
    if (m_faces.size() >= 16)
        return false;
    if (!FcInit())
        return false;
    FcPattern* pattern = FcPatternCreate();
    FcCharSet* charset = FcCharSetCreate();
    FcCharSetAddChar(charset, static_cast<FcChar32>(c));
    FcPatternAddCharSet(pattern, FC_CHARSET, charset);
    FcPatternAddString(pattern, FC_FAMILY, reinterpret_cast<const FcChar8*>("sans-serif"));
    FcPatternAddInteger(pattern, FC_WEIGHT, FC_WEIGHT_BOLD);
    FcConfigSubstitute(nullptr, pattern, FcMatchPattern);
    FcDefaultSubstitute(pattern);
    FcResult result = FcResultNoMatch;
    FcPattern* match = FcFontMatch(nullptr, pattern, &result);
    bool added = false;
    if (match) {
        FcChar8* file = nullptr;
        int index = 0;
        FcCharSet* has = nullptr;
        if (FcPatternGetString(match, FC_FILE, 0, &file) == FcResultMatch &&
            FcPatternGetCharSet(match, FC_CHARSET, 0, &has) == FcResultMatch &&
            FcCharSetHasChar(has, static_cast<FcChar32>(c))) {
            FcPatternGetInteger(match, FC_INDEX, 0, &index);
            std::string path(reinterpret_cast<const char*>(file));
            bool known = std::any_of(m_faces.begin(), m_faces.end(), [&](const Face& f) {
                return f.source.path == path && f.source.face_index == index;
            });
            if (!known) {
                if (TTF_Font* font = TTF_OpenFontIndex(path.c_str(), m_size, index)) {
                    m_faces.push_back({{path, index}, FontPtr(font), false});
                    log::debug("font fallback: " + path + " for U+" + std::to_string(static_cast<unsigned>(c)));
                    added = true;
                }
            }
        }
        FcPatternDestroy(match);
    }
    FcCharSetDestroy(charset);
    FcPatternDestroy(pattern);
    return added;
}

std::vector<FontSet::Run> FontSet::split_runs(std::u32string_view text)
{
    std::vector<Run> runs;
    for (char32_t c : text) {
        size_t face = face_for(c);
        // Spaces join whatever run they are in, so Latin words keep their own spacing.
        if (!runs.empty() && (runs.back().face == face || is_space(c)))
            runs.back().text.push_back(c);
        else
            runs.push_back({face, std::u32string(1, c)});
    }
    return runs;
}

double FontSet::measure(std::u32string_view text)
{
    double width = 0;
    for (const auto& run : split_runs(text)) {
        int w = 0, h = 0;
        TTF_SizeUTF8(m_faces[run.face].font.get(), u32_to_utf8(run.text).c_str(), &w, &h);
        width += w;
    }
    return width;
}

int FontSet::ascent() const
{
    int best = 0;
    for (const auto& face : m_faces)
        if (face.font)
            best = std::max(best, TTF_FontAscent(face.font.get()));
    return best;
}

int FontSet::height() const
{
    return TTF_FontAscent(m_faces[0].font.get()) - TTF_FontDescent(m_faces[0].font.get());
}

void FontSet::draw_line(SDL_Surface* target, std::u32string_view text, int x, int y, SDL_Color color)
{
    int baseline = y + TTF_FontAscent(m_faces[0].font.get());
    for (const auto& run : split_runs(text)) {
        TTF_Font* font = m_faces[run.face].font.get();
        std::string utf8 = u32_to_utf8(run.text);
        SurfacePtr glyphs(TTF_RenderUTF8_Blended(font, utf8.c_str(), color));
        if (!glyphs)
            continue;
        SDL_Rect at{x, baseline - TTF_FontAscent(font), glyphs->w, glyphs->h};
        SDL_SetSurfaceBlendMode(glyphs.get(), SDL_BLENDMODE_BLEND);
        SDL_BlitSurface(glyphs.get(), nullptr, target, &at);
        int w = 0, h = 0;
        TTF_SizeUTF8(font, utf8.c_str(), &w, &h);
        x += w;
    }
}

std::u32string FontSet::missing(std::u32string_view text)
{
    std::u32string out;
    for (char32_t c : text) {
        if (is_space(c) || c < 0x20)
            continue;
        size_t face = face_for(c);
        if (face == 0 && !TTF_GlyphIsProvided32(font(0), c) && out.find(c) == std::u32string::npos)
            out.push_back(c);
    }
    return out;
}

}  // namespace signage
