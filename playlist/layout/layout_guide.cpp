// The part of docs/layout.md after the generated key table: how zones, tickers, clocks and text
// bands behave, and a worked layout for each of the four kinds of venue. A unit test parses every
// layout example here with parse_screen_layout() and keeps docs/layout.md equal to
// layout_reference_markdown().
#include "playlist/layout/screen_layout.h"

namespace signage {

std::string_view layout_guide_markdown()
{
    return R"GUIDE(
## Zones

A zone is a rectangle of the screen. `area = x, y, w, h` places it: each length is a percent of
the screen's width (x, w) or height (y, h), `25%`, or pixels, `480` or `480px`. Percent follows
the screen, so one layout serves a 1920×1080 and a 1280×720 screen alike; pixels suit a band that
must stay the same height everywhere. The screen is the picture the player draws: on a screen
turned to portrait with `[display] rotation = 90`, it is 1080 wide and 1920 high. Edges are
rounded to whole pixels, so two zones that meet at `75%` meet on the same pixel, with no gap.

A zone must lie inside the screen: no length beyond 100%, and x + w (y + h) at most 100% when
both are percent. A zone mixing percent and pixels is kept inside whatever screen it lands on.

Zones may overlap: the one with the higher `order` is drawn on top, and of two with the same
order the later in the file. A band with a `background` such as `#00000080` lets what is under it
show through.

### Playlist zones and `zone =`

A zone without `kind` (or with `kind = playlist`) plays playlist entries, on a timeline of its
own: a loop of the entries that name it, with their schedules, groups and tags. An entry of the
playlist reaches a zone with `zone = NAME`, on an item or on a group (its members go with it):

```ini
; playlist.ini
[side-posters]
type = group
zone = side

[poster-cards]
type = image
file = posters/bank-cards-law.png
group = side-posters
```

Entries without `zone` play in the **main zone**: the zone named `main`, else the first playlist
zone of the file. A layout needs at least one playlist zone. Each zone lays its slogans out for
its own size, and fits its posters and videos into itself.

Only one zone plays sound: the one with `sound = yes` (at most one may have it), else the main
zone. The videos of the other zones play silent.

### Tickers: `kind = ticker`

A band of text that scrolls from right to left at `speed` pixels a second, entry after entry with
`separator` between them, round and round. What it scrolls is its `source`:

- `slogans` (default): the lines of `file`, a text file of one slogan a line, as a playlist's
  `type = slogans` file;
- `text`: the `text`;
- `alerts`: the headlines of the urgent alerts up at the moment (see the playlist reference,
  Urgent alerts).

The text is as high as the band allows unless `font_size` says otherwise. To keep spaces at the
ends of a `separator`, put it in double quotes: `separator = " · "`.

### Clocks: `kind = clock`

The date and time on the screen's clock, in `[screen] timezone` of player.ini, as `format` says.
The default shows `2026年12月6日 星期日 14:30`. The directives:

| directive | shows | example |
|---|---|---|
| `%Y` | year | 2026 |
| `%m`, `%-m` | month, two digits / as is | 03, 3 |
| `%d`, `%-d` | day of the month, two digits / as is | 06, 6 |
| `%H`, `%-H` | hour 00 to 23, two digits / as is | 09, 9 |
| `%M` | minute | 05 |
| `%S` | second | 09 |
| `%A` | weekday | 星期一 … 星期日 |
| `%a` | weekday, short | 周一 … 周日 |
| `%%` | a percent sign | % |

Any other text is shown as written: `%-m月%-d日 %a %H:%M` shows `12月6日 周日 14:30`, and
`%H:%M` shows `14:30`. Any other `%` directive is an error. A clock without `%S` is redrawn once a
minute, on the minute; with `%S`, once a second.

### Text bands: `kind = text`

A band with a fixed `text`, such as a header with the hotline, and an optional logo `image` at
its left, as high as the band. `align` places the text in the rest of the band.

## Worked examples

Each screen names its layout in player.ini:

```ini
; player.ini
[screen]
timezone = Asia/Shanghai
layout = lobby-layout.ini
```

### A bank lobby (1920×1080)

The campaign on the left with its sound, posters in a side column, the urgent alerts' headlines
scrolling below, and the time over the right end of the ticker.

```ini
; lobby-layout.ini
[main]
area = 0, 0, 75%, 90%
sound = yes

[side]
area = 75%, 0, 25%, 90%

[ticker]
kind = ticker
area = 0, 90%, 100%, 10%
source = alerts
speed = 160
background = #B71C1C
color = #FFFFFF

[clock]
kind = clock
area = 82%, 90%, 18%, 10%
order = 1
format = %H:%M
background = #0B1F3A
align = center
```

At 1920×1080: main is 1440×972 at the top left, side 480×972 beside it, the ticker 1920×108
along the bottom, and the clock 346×108 over the ticker's right end (order 1), where the ticker's
text passes under it. The side column plays the entries with `zone = side` (the group above).

### A lift display (portrait, 1080×1920)

A poster above, slogans below, and the date and time at the bottom. The screen is mounted
turned, with `[display] rotation = 90` in player.ini, so the layout is drawn on 1080×1920.

```ini
; lift-layout.ini
[poster]
area = 0, 0, 100%, 60%

[slogans]
area = 0, 60%, 100%, 32%

[clock]
kind = clock
area = 0, 92%, 100%, 8%
format = %-m月%-d日 %a %H:%M
background = #0B1F3A
color = #FFD54A
```

No zone is named `main`, so `poster`, the first playlist zone, is the main zone: every entry
without `zone` plays there (1080×1152), and the entries with `zone = slogans` play below it
(1080×614), each slogan laid out for that band. The clock shows `12月6日 周日 14:30`.

### A government service hall (1920×1080)

A header band with the emblem and the anti-fraud hotline, the date and time at its right, the
campaign in the middle, and the campaign's slogans scrolling below.

```ini
; hall-layout.ini
[header]
kind = text
area = 0, 0, 100%, 12%
text = 全国反诈专线 96110
image = emblem.png
align = left
background = #C62828

[clock]
kind = clock
area = 60%, 0, 40%, 12%
order = 1
font_size = 48
align = right

[main]
area = 0, 12%, 100%, 79%
sound = yes

[ticker]
kind = ticker
area = 0, 91%, 100%, 9%
source = slogans
file = hall-slogans.txt
speed = 100
separator = " ◆ "
background = #0B1F3A
color = #FFD54A
```

The clock is drawn over the header's right part (order 1) with the default format,
`2026年12月6日 星期日 14:30`, beside the hotline at the left. `emblem.png` and
`hall-slogans.txt` are beside the layout file.

### A cinema

The pre-film reel fills the screen, with its sound: a cinema needs no layout at all (without
`[screen] layout`, the playlist fills the screen). For a small clock in the top right corner:

```ini
; cinema-layout.ini
[main]
sound = yes

[clock]
kind = clock
area = 86%, 3%, 12%, 6%
format = %H:%M
background = #00000080
```

`main` keeps its default area, the whole screen; the clock is drawn over it, later in the file,
on a half-transparent black band.
)GUIDE";
}

}  // namespace signage
