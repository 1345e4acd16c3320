// player.ini: how this screen is set up. Every key is declared in config_options() (config.cpp).
#pragma once

#include "playlist/config/option_table.h"

#include <string>
#include <vector>

namespace signage {

struct Config {
    // [display]
    bool fullscreen = true;
    long width = 1920;
    long height = 1080;
    std::string rotation = "0";
    Color background;
    double safe_area = 5;
    bool vsync = true;
    std::string renderer = "auto";
    long display_index = 0;
    // [screen]
    std::string screen_id;
    std::vector<std::string> screen_tags;
    std::string timezone;
    bool clock_locked = false;
    std::string idle = "fallback";
    std::string layout;  // "" = the playlist fills the screen, one zone
    // [alerts]
    std::string alert_mode = "fullscreen";
    double alert_rotate = 10;
    std::string alert_language = "zh";
    // [content]
    std::string playlist;
    double retry_after = 30;
    double check_every = 10;
    std::string share;  // "" = no sync: play `playlist` as it is
    std::string ca_file;  // "" = the system's CA store
    std::string cache;
    double sync_every = 60;
    long min_free_mb = 512;
    double settle = 2;
    // [alerts]
    double alerts_settle = 0.5;
    double alerts_poll_every = 1;
    // [text]
    std::string font;
    std::vector<std::string> fallback_fonts;
    Color text_color;
    std::optional<Color> text_background;
    std::string text_background_image;
    double line_spacing = 1.35;
    long max_font_size = 0;
    long min_font_size = 16;
    // [audio]
    long volume = 100;
    bool mute = false;
    // [video]
    std::string hwdec = "auto";
    // [limits]
    double max_image_megapixels = 40;
    long max_file_mb = 2048;
    double probe_timeout = 30;
    // [log]
    std::string log_level = "info";

    // Where it was read from; relative paths in it are relative to base_dir.
    std::string file;
    std::string base_dir;

    int rotation_degrees() const { return std::stoi(rotation); }
    // No sound at all: no audio device is opened.
    bool silent() const { return mute || volume == 0; }
    // Resolves a path from this file against base_dir ("" stays "").
    std::string resolve(const std::string& path) const;
};

std::span<const OptionSpec<Config>> config_options();

struct ConfigLoad {
    Config config;
    std::vector<Error> errors;    // bad values: the player refuses to start (exit 2)
    std::vector<Error> warnings;  // unknown keys or sections: reported, then ignored
};

// Built-in defaults only (used when there is no config file).
Config default_config();
ConfigLoad load_config(const std::string& path);
ConfigLoad parse_config_text(std::string_view text, const std::string& file_name, const std::string& base_dir);

// docs/config.md is generated from the table so the docs cannot drift from the code.
std::string config_reference_markdown();

}  // namespace signage
