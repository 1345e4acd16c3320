// A chain of fonts with per-character fallback: each character is drawn with the first font
// that has it, so Chinese, Latin, digits, % and full-width punctuation all render, and any
// character some installed font has is found through fontconfig on demand.
#pragma once

#include "playlist/base/error.h"
#include "player/media/sdl_handles.h"

#include <string>
#include <string_view>
#include <vector>

namespace signage {

struct FontSource {
    std::string path;
    long face_index = 0;  // face inside a .ttc collection
};

// Fonts to try, in order: configured ones, the bundled campaign font, Noto Sans CJK SC and
// DejaVu from Debian's font folders. Fontconfig is only asked later, for a character none has.
std::vector<FontSource> default_font_chain(const std::vector<std::string>& configured, const std::string& fonts_dir);

class FontSet {
public:
    // Opens the first source that works now and the others when a character needs them;
    // fails only when no font at all can be opened.
    static Result<FontSet> open(const std::vector<FontSource>& sources, int size_px);

    FontSet(FontSet&&) = default;
    FontSet& operator=(FontSet&&) = default;

    void set_size(int size_px);
    int size() const { return m_size; }

    // Pixel width of the text at the current size, fallback fonts included.
    double measure(std::u32string_view text);
    int ascent() const;   // largest ascent among the fonts used so far at this size
    int height() const;   // ascent + descent of the primary font

    // Draws one line with its top-left at (x, y) onto an ARGB surface.
    void draw_line(SDL_Surface* target, std::u32string_view text, int x, int y, SDL_Color color);

    // Characters no font could draw (reported by `check`).
    std::u32string missing(std::u32string_view text);

private:
    struct Face {
        FontSource source;
        FontPtr font;         // opened on first need: most text never needs the fallbacks
        bool broken = false;  // missing or unreadable
    };
    struct Run {
        size_t face;
        std::u32string text;
    };

    FontSet() = default;
    size_t face_for(char32_t c);
    std::vector<Run> split_runs(std::u32string_view text);
    bool add_fontconfig_face_for(char32_t c);
    TTF_Font* font(size_t face);  // opens it if needed; nullptr when broken

    std::vector<Face> m_faces;
    int m_size = 32;
    std::u32string m_unfindable;  // characters fontconfig was already asked about in vain
};

}  // namespace signage
