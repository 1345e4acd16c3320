// `render --at T --out FILE.png`: one exact frame, written as PNG.
#include "player/front/commands.h"

#include "player/app/frame_renderer.h"
#include "playlist/base/log.h"

#include <SDL_image.h>

namespace signage {

int run_render(const CliOptions& cli, PlayerSetup& setup)
{
    const int width = cli.width > 0 ? cli.width : static_cast<int>(setup.config.width);
    const int height = cli.height > 0 ? cli.height : static_cast<int>(setup.config.height);
    auto frame = render_frame(setup, *cli.at, width, height);
    if (!frame) {
        log::error(frame.error().to_string());
        return 1;
    }
    if (IMG_SavePNG(frame->image.get(), cli.out.c_str()) != 0) {
        log::error(cli.out + ": cannot write PNG: " + IMG_GetError());
        return 1;
    }
    log::info("rendered " + frame->description + " at " + format_seconds(*cli.at) + " to " + cli.out);
    return 0;
}

}  // namespace signage
