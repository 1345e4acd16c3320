// The media probe of a sync (playlist/sync/snapshot_probe.h): which files, the child's answers, who
// is blamed when a child dies or hangs, and what the sync does with a file that would not play.
// The probe program here is a shell script standing in for `signage-player probe`, so these
// tests need no FFmpeg; tests/integration/test_sync_probe.py runs the real one.
#include "playlist/sync/snapshot_probe.h"
#include "playlist/sync/share_sync.h"
#include "tests/unit/sync_fixture.h"

#include <algorithm>
#include <atomic>
#include <catch2/catch.hpp>
#include <csignal>
#include <set>
#include <utility>

using namespace signage;
using namespace signage::testing;

namespace {

std::vector<ProbeFile> select(const std::string& playlist_text, const std::set<std::string>& changed)
{
    PlaylistLoad load = parse_playlist_text(playlist_text, "/snap/playlist.ini", "/snap");
    return files_to_probe(load.playlist, "/snap", [&](const std::string& path) { return changed.count(path) > 0; });
}

ChildRun ended(ChildRun::End end, int status, std::string output)
{
    ChildRun run;
    run.end = end;
    run.status = status;
    run.output = std::move(output);
    return run;
}

// A stand-in for `signage-player probe`: answers "ok" for every file, "failed" for a file
// holding "garbage", crashes on one holding "crash", hangs on one holding "hang"; each run
// appends its arguments to `runs`.
struct FakeProbe {
    fs::path script;
    fs::path runs;

    explicit FakeProbe(const fs::path& dir) : script(dir / "probe.sh"), runs(dir / "runs.txt")
    {
        std::ofstream(script) << "#!/bin/sh\n"
                                 "echo \"$*\" >> '" << runs.string() << "'\n"
                                 "dir=$2\n"
                                 "shift 2\n"
                                 "for a in \"$@\"; do\n"
                                 "  case \"$(cat \"$dir/${a#*:}\")\" in\n"
                                 "    *garbage*) printf 'probe\\tfailed\\t%s\\tbroken on purpose\\n' \"$a\" ;;\n"
                                 "    *crash*) kill -SEGV $$ ;;\n"
                                 "    *hang*) exec sleep 30 ;;\n"
                                 "    *) printf 'probe\\tok\\t%s\\n' \"$a\" ;;\n"
                                 "  esac\n"
                                 "done\n";
        fs::permissions(script, fs::perms::owner_all);
    }

    ProbeCommand command(double per_file = 5) const { return {{script.string()}, per_file, 0}; }

    size_t run_count() const
    {
        std::string text = read_bytes(runs);
        return static_cast<size_t>(std::count(text.begin(), text.end(), '\n'));
    }
};

std::string all_messages(const std::vector<Error>& errors)
{
    std::string out;
    for (const auto& e : errors)
        out += e.to_string() + "\n";
    return out;
}

}  // namespace

TEST_CASE("the probe takes the new and changed videos and images the playlist shows, once each", "[probe]")
{
    std::string playlist = "[a]\ntype = video\nfile = v/a.mp4\n"
                           "[b]\ntype = image\nfile = p/b.png\nbackground_image = p/bg.png\n"
                           "[s]\ntype = slogan\ntext = hi\nbackground_image = p/bg.png\n"
                           "[a-again]\ntype = video\nfile = v/a.mp4\n"
                           "[a-as-image]\ntype = image\nfile = v/a.mp4\n"
                           "[old]\ntype = video\nfile = v/old.mp4\n";
    CHECK(select(playlist, {"v/a.mp4", "p/b.png", "p/bg.png", "playlist.ini"}) ==
          std::vector<ProbeFile>{{"v/a.mp4", ProbeKind::Video},
                                 {"p/b.png", ProbeKind::Image},
                                 {"p/bg.png", ProbeKind::Image},
                                 {"v/a.mp4", ProbeKind::Image}});
    // Unchanged files (hard-linked: probed when they came) and non-media files: nothing to probe.
    CHECK(select(playlist, {"playlist.ini", "notes.txt"}).empty());
    CHECK(select("[s]\ntype = slogans\nfile = slogans.txt\n", {"slogans.txt"}).empty());
}

TEST_CASE("the probe's arguments and answers round-trip, and other output is ignored", "[probe]")
{
    ProbeFile video{"videos/中文 psa.mp4", ProbeKind::Video};
    ProbeFile image{"p/a.png", ProbeKind::Image};
    CHECK(probe_argument(video) == "video:videos/中文 psa.mp4");
    CHECK(parse_probe_argument("image:p/a.png") == image);
    CHECK_FALSE(parse_probe_argument("audio:x.mp3"));
    CHECK_FALSE(parse_probe_argument("video:"));

    std::string output = "[mov,mp4 @ 0x1] moov atom not found\n" + probe_answer_line(video, "") +
                         "signage-player error: something\n" +
                         probe_answer_line(image, "bad header:\ttoo\nlarge") +
                         "probe\tmaybe\tvideo:x.mp4\n"   // not a verdict
                         "probe\tok\tvideo:cut-off.mp4";  // no line end: the child died writing it
    auto answers = parse_probe_answers(output);
    REQUIRE(answers.size() == 2);
    CHECK(answers[0].file == video);
    CHECK(answers[0].problem.empty());
    CHECK(answers[1].file == image);
    CHECK(answers[1].problem == "bad header: too large");
}

TEST_CASE("a probe child that dies or overruns is blamed on the first file it did not answer", "[probe]")
{
    std::vector<ProbeFile> files{{"a.mp4", ProbeKind::Video}, {"b.mp4", ProbeKind::Video}, {"c.png", ProbeKind::Image}};
    std::string first_ok = probe_answer_line(files[0], "");

    SECTION("all answered")
    {
        auto reading = read_probe_run(
            files,
            ended(ChildRun::End::Exited, 0,
                  first_ok + probe_answer_line(files[2], "too large") + probe_answer_line(files[1], "")),
            10);
        CHECK(reading.problems == std::vector<std::optional<std::string>>{"", "", "too large"});
        CHECK_FALSE(reading.blame);
    }
    SECTION("crashed on the second")
    {
        auto reading = read_probe_run(files, ended(ChildRun::End::Signalled, SIGSEGV, first_ok), 10);
        CHECK(reading.problems[0] == "");
        REQUIRE(reading.problems[1]);
        CHECK_THAT(*reading.problems[1], Catch::StartsWith("the probe crashed on it (signal 11 ("));
        CHECK_FALSE(reading.problems[2]);  // asked again
    }
    SECTION("hung on the first")
    {
        auto reading = read_probe_run(files, ended(ChildRun::End::TimedOut, 0, ""), 12.5);
        CHECK(reading.problems[0] == "the probe did not finish within 12.5s ([limits] probe_timeout per file); "
                                     "stopped it");
        CHECK_FALSE(reading.problems[1]);
        CHECK_FALSE(reading.problems[2]);
    }
    SECTION("could not start its work at all: every file is told why, no second try")
    {
        auto reading = read_probe_run(
            files, ended(ChildRun::End::Exited, 1, "signage-player error: media module not found\n"), 10);
        for (const auto& problem : reading.problems)
            CHECK(problem == "the probe gave no answer for it (exit status 1: signage-player error: media module "
                             "not found)");
    }
}

TEST_CASE("probe_files runs children until every file has a verdict", "[probe]")
{
    TempDir temp;
    FakeProbe probe(temp.path);
    std::atomic<bool> stop{false};
    std::vector<ProbeFile> files{{"a.mp4", ProbeKind::Video},
                                 {"crash.mp4", ProbeKind::Video},
                                 {"bad.png", ProbeKind::Image},
                                 {"hang.mp4", ProbeKind::Video},
                                 {"z.png", ProbeKind::Image}};
    const std::pair<const char*, const char*> contents[] = {
        {"a.mp4", "fine"}, {"crash.mp4", "crash"}, {"bad.png", "garbage"}, {"hang.mp4", "hang"}, {"z.png", "fine"}};
    for (const auto& [name, bytes] : contents)
        temp.write(name, bytes);
    auto problems = probe_files(probe.command(0.5), temp.path.string(), files, stop);
    REQUIRE(problems);
    CHECK((*problems)[0] == "");
    CHECK_THAT((*problems)[1], Catch::StartsWith("the probe crashed on it (signal 11"));
    CHECK((*problems)[2] == "broken on purpose");
    CHECK_THAT((*problems)[3], Catch::StartsWith("the probe did not finish within 1.5s"));  // 3 files left x 0.5 s
    CHECK((*problems)[4] == "");
    CHECK(probe.run_count() == 3);  // crashed, hung, then the last file alone
    CHECK_THAT(read_bytes(probe.runs), Catch::StartsWith("--inside " + temp.path.string() +
                                                         " video:a.mp4 video:crash.mp4 image:bad.png"));

    SECTION("many files go to several children")
    {
        std::vector<ProbeFile> many;
        for (size_t i = 0; i < kProbeFilesPerChild + 3; ++i) {
            many.push_back({"f" + std::to_string(i) + ".png", ProbeKind::Image});
            temp.write(many.back().path, "fine");
        }
        auto all = probe_files(probe.command(), temp.path.string(), many, stop);
        REQUIRE(all);
        CHECK(std::count(all->begin(), all->end(), "") == static_cast<long>(many.size()));
        CHECK(probe.run_count() == 3 + 2);
    }
}

TEST_CASE("a new or changed media file that fails the probe is not taken; the rest of the snapshot is", "[probe]")
{
    SyncFixture f;
    FakeProbe probe(f.temp.path);
    auto options = [&] {
        SyncOptions o = f.options();
        o.probe = probe.command();
        return o;
    };
    auto playlist = [&](const std::string& marker, const std::vector<std::string>& videos) {
        std::string text = "[hello]\ntype = slogan\ntext = " + marker + "\n";
        for (const auto& video : videos)
            text += "\n[" + video + "]\ntype = video\nfile = " + video + "\n";
        f.put("playlist.ini", text, 300);
    };
    f.put("psa.mp4", "good v1");
    f.put("notes.txt", "n1");
    playlist("v1", {"psa.mp4"});
    auto first = sync_share(options());
    REQUIRE(first);
    CHECK(first->files_probed == 1);
    CHECK(probe.run_count() == 1);

    SECTION("nothing media changed: no probe child at all")
    {
        f.put("notes.txt", "n2", 200);
        auto second = sync_share(options());
        REQUIRE(second);
        CHECK(second->changed);
        CHECK(second->files_probed == 0);
        CHECK(probe.run_count() == 1);
    }
    SECTION("a changed video that fails keeps its previous version, a new one is left out; the rest updates")
    {
        f.put("psa.mp4", "garbage: moov atom missing", 200);
        f.put("new.mp4", "garbage too", 200);
        f.put("fine.mp4", "good", 200);
        f.put("notes.txt", "n2", 200);
        playlist("v2", {"psa.mp4", "new.mp4", "fine.mp4"});
        auto second = sync_share(options());
        REQUIRE(second);
        CHECK(second->changed);
        CHECK(second->files_probed == 3);
        std::string messages = all_messages(second->not_taken);
        CHECK_THAT(messages, Catch::Contains("psa.mp4: not taken: not a playable video: broken on purpose; the "
                                             "previous version is kept"));
        CHECK_THAT(messages, Catch::Contains("new.mp4: not taken: not a playable video: broken on purpose; left "
                                             "out for now"));
        CHECK(f.current_file("psa.mp4") == "good v1");
        CHECK_FALSE(f.in_current("new.mp4"));
        CHECK(f.current_file("fine.mp4") == "good");
        CHECK(f.current_file("notes.txt") == "n2");
        CHECK_THAT(f.current_file("playlist.ini"), Catch::Contains("v2"));
        CHECK(second->files == 4);  // playlist, psa.mp4 (previous), fine.mp4, notes.txt; no new.mp4

        // The share unchanged: the same verdict, remembered: nothing copied, probed or switched.
        size_t runs = probe.run_count();
        auto third = sync_share(options());
        REQUIRE(third);
        CHECK_FALSE(third->changed);
        CHECK(third->bytes_copied == 0);
        CHECK(probe.run_count() == runs);
        CHECK_THAT(all_messages(third->not_taken),
                   Catch::Contains("psa.mp4: not taken: not a playable video: broken on purpose (probed before, "
                                   "unchanged since); the previous version is kept"));
        CHECK_THAT(all_messages(third->not_taken), Catch::Contains("new.mp4: not taken: not a playable video"));

        // Fixed on the share: probed again, and taken.
        f.put("new.mp4", "good now", 100);
        auto fourth = sync_share(options());
        REQUIRE(fourth);
        CHECK(fourth->changed);
        CHECK(f.current_file("new.mp4") == "good now");
        CHECK(probe.run_count() == runs + 1);
    }
    SECTION("a playlist left with nothing that can play fails the sync; the cache plays on")
    {
        f.put("bad.mp4", "garbage", 200);
        f.put("playlist.ini", "[only]\ntype = video\nfile = bad.mp4\n", 200);
        auto second = sync_share(options());
        REQUIRE_FALSE(second);
        CHECK_THAT(second.error().to_string(),
                   Catch::Contains("the playlist has no item that can play: every file it shows was not taken "
                                   "(not taken: not a playable video: broken on purpose)"));
        CHECK(f.current_id() == first->snapshot);
        CHECK_FALSE(f.has_staging());
    }
    SECTION("a probe that crashes fails only that file")
    {
        f.put("crash.mp4", "crash", 200);
        playlist("v2", {"psa.mp4", "crash.mp4"});
        auto second = sync_share(options());
        REQUIRE(second);
        CHECK_THAT(all_messages(second->not_taken),
                   Catch::Contains("crash.mp4: not taken: not a playable video: the probe crashed on it (signal 11"));
        CHECK_THAT(f.current_file("playlist.ini"), Catch::Contains("v2"));
    }
}
