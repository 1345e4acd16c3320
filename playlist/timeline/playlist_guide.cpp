// The part of docs/playlist.md that explains schedules, targeting, groups, fixed slots and
// alerts with worked examples; playlist_reference_markdown() (playlist.cpp) puts it after the
// generated key table, and a test keeps docs/playlist.md equal to it.
#include "playlist/timeline/playlist.h"

namespace signage {

std::string_view playlist_guide_markdown()
{
    return R"GUIDE(
## When, where and how often

Every playlist written before these keys existed plays exactly as before: a playlist without
`days`, `hours`, `dates`, `at`, `tags`, `group` or `priority` is one loop, round and round.

### Schedules: `days`, `hours`, `dates`

An item (or a group) with a schedule plays only while the screen's clock is inside it; the loop
skips it otherwise, as it skips a broken file. The clock is read in `[screen] timezone` of
player.ini (default: the system's zone), through the system's tz database, so `08:00` means
08:00 on the screen's clock, summer and winter.

- `days = mon-fri`, `sat,sun`, `fri-mon` (wraps round the week), `daily`; also 周一..周日.
- `hours = 08:00-12:00, 14:00-18:00`: several windows. `22:00-02:00` crosses midnight and
  **belongs to the day it starts on**: with `days = fri` it plays Friday 22:00 to Saturday 02:00,
  not Saturday night. `24:00` is midnight at the end of the day.
- `dates = 2021-05-14..2021-12-31, 2022-01-01`: inclusive ranges or single days; with `hours`,
  the date of the day a window starts.

Daylight-saving days are read by what the clock shows:

- Spring forward (02:00 jumps to 03:00): the readings in between never occur, so a window
  `02:00-02:30` does not play that night, and `02:30-04:00` plays from 03:00.
- Fall back (01:00 to 02:00 happens twice): a window covering 01:00-01:30 plays during both,
  so twice as long that night.
- A fixed slot (`at`, below) in the missing hour starts when the clock jumps (late, not lost);
  one in the doubled hour starts once, the first time.

When nothing of the loop is in schedule, the entries marked `idle = yes` play; without any, the
screen shows the fallback slide, or stays black with `[screen] idle = blank`.

### Targeting: `tags`, `not_tags`

A screen says what it is in player.ini: `[screen] tags = bank, branch-042, lobby`. An entry with
`tags` plays only on screens with at least one of them; `not_tags` keeps it off screens with one
of those. Without either it plays everywhere. One share and one playlist then serve a town:
every screen picks its own part.

### Groups: `type = group`, `group`, `pick`, `order`, `every`, `weight`, `max_per_hour`

A section with `type = group` is a group; items (and groups) join it with `group = NAME`. The
group's own `days`, `hours`, `dates`, `tags` and `max_per_hour` apply to all its members, on
top of their own.

- In the loop, at the place of its section, a group plays all its members in turn
  (`pick = all`) or one of them each time the loop reaches it (`pick = one`).
- `order = shuffle` shuffles them, never the same one twice in a row; the `seed` makes the
  shuffle the same on every screen and in `signage-player schedule`.
- `every = 3`: the group is out of the loop's order and one of its members plays after every
  3 items of the loop (a public-service video after every three slogans).
- `weight = 3` on a member of a `pick = one` group: picked three times as often as a member of
  weight 1.
- `max_per_hour = 4`: at most 4 starts in any 60 minutes; the loop skips it meanwhile.

### Fixed-time slots: `at`

`at = 19:25, 21:55` (with `days` and `dates` if wanted) takes the entry out of the loop: it
starts at that second of the wall clock, cutting into (or fading over, per its `transition`)
whatever plays. A group with `at` is a reel: its members play one after the other. Then the
loop resumes where it was cut, for the rest of that item's time; a video goes on at the frame
it was cut at (for now without its sound: the rest of that play is silent). `check` reports two
fixed slots whose times collide.

### Urgent alerts: `priority = alert` and the `alerts/` folder

An entry with `priority = alert` is an alert while its schedule holds. Files dropped into the
folder `alerts/` are alerts too: beside the playlist, or at the top of the share when
`[content] share` is set (a fast sync brings them over within a second or two, without waiting
for big videos). A file may be:

- a `.txt`: its first line is the headline, the rest the description (any encoding);
- an image (`.png`, `.jpg`, `.webp`, `.bmp`, `.gif`): shown like a poster;
- a CAP 1.2 alert (`.xml` or `.cap`), the OASIS Common Alerting Protocol public warnings use:
  its `headline` and `description` show from `effective` until `expires`; only `status`
  Actual shows; a `msgType` Cancel takes down the alerts it references, an Update replaces them.

An alert stays until it expires or its file is removed. While several are up they take turns
(`[alerts] rotate`, 10 s), in step with the wall clock on every screen. `[alerts] mode =
fullscreen` (default) holds the loop, which resumes where it was when the last alert goes;
`banner` shows the headline in a band over the bottom of the loop, which plays on. Alerts are
logged when they come and go.

### The clock

Schedules are only as good as the clock: keep it with NTP (chrony, systemd-timesyncd). When the
clock is set while playing (a correction, a person), the schedule is read again at once; the item
on screen finishes its time. A clock that reads more than a year before the player was built is
taken as unset: until it is set, only entries without `days`, `hours`, `dates` or `at` play, and
the log says so once.

### Seeing the future

- `signage-player schedule --from "2026-12-24 19:00" --hours 4` prints what the screen will play,
  one line a play, with why (scheduled, idle, fixed slot, alert); `--tags bank` shows another
  kind of screen, `--format json` is for tools. It asks the same timeline `play` does.
- `signage-player render --at "2026-12-24 19:25:03" --out frame.png` draws the screen at that
  instant, having played since that day's midnight, alerts in `alerts/` included.
- `signage-player render --contact-sheet --at "2026-12-24 19:00" --out sheet.png` draws one page
  with every item the screen shows as a thumbnail, with its length, schedule, group and marks
  (fixed slot, alert, idle); those out of schedule at that instant are dimmed, "not now", and a
  file that cannot be shown is a grey tile saying why. `--tags` shows another kind of screen.

## Worked examples

One share, one playlist, four kinds of screen. Each screen's player.ini says what it is:

```ini
; a bank branch lobby            ; a service hall kiosk     ; a cinema foyer        ; a lift display
[screen]                         [screen]                   [screen]                [screen]
tags = bank, branch-042          tags = hall                tags = cinema           tags = building
timezone = Asia/Shanghai         timezone = Asia/Shanghai   timezone = Asia/Shanghai timezone = Asia/Shanghai
```

### A bank branch

Stock-investment, loan-agency and order-brushing fraud, and the law on renting bank cards, in
opening hours; a short public-service video after every three slogans.

```ini
[bank-slogans]
type = slogans
file = bank-slogans.txt
tags = bank
days = mon-fri
hours = 09:00-17:00

[bank-cards-law]
type = image
file = posters/bank-cards-law.png
tags = bank
duration = 12s

[psa]
type = group
every = 3
order = shuffle
seed = 2021
tags = bank, hall

[psa-stock]
type = video
file = videos/stock-investment.mp4
group = psa

[psa-loans]
type = video
file = videos/loan-agency.mp4
group = psa
max_per_hour = 4
```

### A government service hall

Order brushing, stock investment and fake customer service, with the hotline poster twice as
often as the others, and something quiet after hours.

```ini
[hall-mix]
type = group
pick = one
tags = hall
hours = 08:30-17:30

[hall-brushing]
type = slogan
text = 刷单就是诈骗
group = hall-mix

[hall-hotline]
type = image
file = posters/96110.png
group = hall-mix
weight = 2

[hall-after-hours]
type = slogan
text = 全民反诈 你我同行
tags = hall
idle = yes
```

### A cinema

The pre-film reel at show times: the loop is cut at 19:25:00 sharp and resumes after the reel.

```ini
[reel]
type = group
tags = cinema
at = 19:25, 21:55
days = daily

[reel-1]
type = video
file = videos/cinema-psa-1.mp4
group = reel

[reel-2]
type = video
file = videos/cinema-psa-2.mp4
group = reel
```

### A lift display

Public-service posters all day, a night-time blank, and an urgent notice for one evening.

```ini
[lift-posters]
type = group
order = shuffle
tags = building
hours = 06:00-23:00

[lift-poster-1]
type = image
file = posters/lift-1.png
group = lift-posters

[lift-poster-2]
type = image
file = posters/lift-2.png
group = lift-posters

[lift-notice]
type = slogan
text = 今晚 20:00 停水检修
priority = alert
tags = building
dates = 2026-12-24
hours = 18:00-21:00
```

With `[screen] idle = blank` in its player.ini, the lift screen is black from 23:00 to 06:00.
)GUIDE";
}

}  // namespace signage
