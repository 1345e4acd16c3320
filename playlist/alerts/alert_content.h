// An Alert from what one file holds. `base` carries the id and path the folder reader set; each
// function fills in the rest or says why the file cannot be shown.
#pragma once

#include "playlist/alerts/alert_folder.h"
#include "playlist/alerts/cap_alert.h"

#include <string_view>

namespace signage {

// A .txt in any encoding decode_text reads: the first non-empty line is the headline, the lines
// after it the description.
Result<Alert> text_alert(std::string_view bytes, Alert base);

// An image: only its header is checked (a known format, a size), the player decodes it.
Result<Alert> image_alert(std::string_view bytes, Alert base);

// The info block to show: the first whose language is `language` or a variant of it ("zh" takes
// "zh-CN" and "zh-Hans", not "zha", which is Zhuang), else the first; nullptr when there is none.
const CapInfo* choose_cap_info(const CapMessage& message, std::string_view language);

// A CAP message, shown with `info`: effective from the info, else the message's sent time.
Result<Alert> cap_alert(const CapMessage& message, const CapInfo& info, Alert base);

}  // namespace signage
