// The sync as a child process: killed on timeout or stop (even when SIGSTOPped, the closest a
// test gets to a process blocked on a hung mount), its structured result read into an outcome.
#include "playlist/base/child_process.h"
#include "playlist/sync/sync_process.h"
#include "playlist/sync/sync_result.h"

#include <catch2/catch.hpp>
#include <chrono>
#include <csignal>
#include <fcntl.h>
#include <thread>
#include <unistd.h>

using namespace signage;

namespace {

std::vector<std::string> shell(const std::string& script)
{
    return {"/bin/sh", "-c", script};
}

double seconds_since(std::chrono::steady_clock::time_point start)
{
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

bool process_exists(pid_t pid)
{
    return ::kill(pid, 0) == 0 || errno != ESRCH;
}

}  // namespace

TEST_CASE("child: exit status and everything it wrote", "[sync-process]")
{
    std::atomic<bool> stop{false};
    auto run = run_child(shell("echo out; echo err >&2; exit 3"), 10, stop);
    REQUIRE(run);
    CHECK(run->end == ChildRun::End::Exited);
    CHECK(run->status == 3);
    CHECK(run->output == "out\nerr\n");
    CHECK(run->reaped);
    CHECK_FALSE(process_exists(run->pid));
}

TEST_CASE("child: killed when it overruns its time, even when stopped", "[sync-process]")
{
    std::atomic<bool> stop{false};
    auto start = std::chrono::steady_clock::now();
    auto slow = run_child(shell("sleep 30"), 0.2, stop);
    REQUIRE(slow);
    CHECK(slow->end == ChildRun::End::TimedOut);
    CHECK(seconds_since(start) < 1.5);
    CHECK(slow->reaped);
    CHECK_FALSE(process_exists(slow->pid));

    // SIGSTOP itself: makes no progress at all, as one blocked in a stat() on a dead mount.
    start = std::chrono::steady_clock::now();
    auto frozen = run_child(shell("echo before; kill -STOP $$; echo after"), 0.3, stop);
    REQUIRE(frozen);
    CHECK(frozen->end == ChildRun::End::TimedOut);
    CHECK(frozen->output == "before\n");
    CHECK(seconds_since(start) < 1.5);
    CHECK(frozen->reaped);
}

TEST_CASE("child: killed soon after the caller is asked to stop", "[sync-process]")
{
    std::atomic<bool> stop{false};
    std::thread stopper([&] {
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
        stop = true;
    });
    auto start = std::chrono::steady_clock::now();
    auto run = run_child(shell("sleep 30"), 60, stop);
    double took = seconds_since(start);
    stopper.join();
    REQUIRE(run);
    CHECK(run->end == ChildRun::End::Stopped);
    CHECK(took < 0.5);
}

TEST_CASE("child: inherits no descriptor of the player, and default signal handling", "[sync-process]")
{
    int leaky = ::open("/dev/null", O_RDONLY);  // no O_CLOEXEC on purpose
    REQUIRE(leaky >= 3);
    std::signal(SIGUSR1, SIG_IGN);
    std::atomic<bool> stop{false};
    auto run = run_child(shell("test -e /proc/$$/fd/" + std::to_string(leaky) +
                               " && echo leaked; grep SigIgn /proc/$$/status"),
                         10, stop);
    std::signal(SIGUSR1, SIG_DFL);
    ::close(leaky);
    REQUIRE(run);
    CHECK(run->output.find("leaked") == std::string::npos);
    // SIGUSR1 is bit 10 (value 0x200): not ignored in the child.
    auto at = run->output.find("SigIgn:");
    REQUIRE(at != std::string::npos);
    unsigned long long ignored = std::stoull(run->output.substr(at + 7), nullptr, 16);
    CHECK((ignored & (1ull << (SIGUSR1 - 1))) == 0);
}

TEST_CASE("child: a program that cannot start is an error naming it", "[sync-process]")
{
    std::atomic<bool> stop{false};
    auto run = run_child({"/nonexistent/signage-player"}, 1, stop);
    REQUIRE_FALSE(run);
    CHECK(run.error().file == "/nonexistent/signage-player");
}

TEST_CASE("child: a descriptor passed as descriptor 3, and no other", "[sync-process]")
{
    int ends[2];
    REQUIRE(::pipe2(ends, O_CLOEXEC) == 0);
    std::atomic<bool> stop{false};
    auto run = run_child(shell("echo passed >&3; test -e /proc/$$/fd/4 && echo leaked; exit 0"), 10, stop, ends[1]);
    ::close(ends[1]);
    REQUIRE(run);
    char buffer[64] = "";
    ssize_t n = ::read(ends[0], buffer, sizeof buffer - 1);
    ::close(ends[0]);
    CHECK(std::string(buffer, n > 0 ? static_cast<size_t>(n) : 0) == "passed\n");
    CHECK(run->output.find("leaked") == std::string::npos);
}

TEST_CASE("sync result: written and read back, every kind of outcome", "[sync-process]")
{
    SyncOutcome ok;
    ok.summary = "sync: snapshot X is current: 3 files";
    ok.warnings = {"/s/x.png: refused", "a \"quoted\" \\ name\twith\ncontrol\x7f and 海报"};
    auto back = parse_sync_result(sync_result_json(ok));
    REQUIRE(back);
    CHECK_FALSE(back->error);
    CHECK_FALSE(back->busy);
    CHECK(back->summary == ok.summary);
    CHECK(back->warnings == ok.warnings);

    SyncOutcome failed;
    failed.error = "/s: cannot open: No such file";
    back = parse_sync_result(sync_result_json(failed));
    REQUIRE(back);
    CHECK(back->error == failed.error);
    CHECK_FALSE(back->busy);
    CHECK(back->warnings.empty());

    SyncOutcome busy;
    busy.busy = true;
    busy.error = "/var/lib/signage-player: another sync is using this cache";
    back = parse_sync_result(sync_result_json(busy));
    REQUIRE(back);
    CHECK(back->busy);
    CHECK(back->error == busy.error);

    CHECK_FALSE(parse_sync_result(""));
    CHECK_FALSE(parse_sync_result("{}"));
    CHECK_FALSE(parse_sync_result(R"({"signage_sync_result": 2, "result": "ok", "reason": "", "summary": "", "warnings": []})"));
    CHECK_FALSE(parse_sync_result(R"({"signage_sync_result": 1, "result": "maybe", "reason": "", "summary": "", "warnings": []})"));
    CHECK_FALSE(parse_sync_result(R"({"signage_sync_result": 1, "result": "ok", "reason": "", "summary": "", "warnings": [1]})"));
}

TEST_CASE("sync outcome: from the result, else from how the child ended", "[sync-process]")
{
    SyncOutcome said;
    said.error = "/s: cannot open: No such file";
    said.warnings = {"/s/x.png: refused"};
    ChildRun failed;
    failed.end = ChildRun::End::Exited;
    failed.status = 1;
    // Log lines are for people: they never decide the outcome.
    failed.output = "2024-05-01 12:00:00.001 signage-player error: sync failed: something else entirely\n";
    SyncOutcome out = sync_outcome(failed, sync_result_json(said), 60);
    REQUIRE(out.error);
    CHECK(*out.error == "/s: cannot open: No such file");
    CHECK(out.warnings == std::vector<std::string>{"/s/x.png: refused"});

    ChildRun config_error;
    config_error.status = 2;
    config_error.output = "/etc/signage-player/player.ini:4: [content] sync_every: not a duration\n";
    said = SyncOutcome{};
    said.error = "/etc/signage-player/player.ini:4: [content] sync_every: not a duration";
    out = sync_outcome(config_error, sync_result_json(said), 60);
    REQUIRE(out.error);
    CHECK(*out.error == "/etc/signage-player/player.ini:4: [content] sync_every: not a duration");

    ChildRun silent;
    silent.status = 1;
    CHECK(*sync_outcome(silent, "", 60).error == "sync exited with status 1 without a result");
    silent.status = 127;
    silent.output = "error while loading shared libraries: libcurl.so.4\n\n";
    CHECK(*sync_outcome(silent, "", 60).error ==
          "sync exited with status 127 without a result: error while loading shared libraries: libcurl.so.4");
    CHECK_THAT(*sync_outcome(silent, "{not json", 60).error, Catch::StartsWith("unreadable sync result: JSON at byte 1"));

    ChildRun crashed;
    crashed.end = ChildRun::End::Signalled;
    crashed.status = SIGSEGV;
    CHECK(sync_outcome(crashed, "", 60).error->starts_with("sync ended by signal 11 (Segmentation fault"));

    ChildRun hung;
    hung.end = ChildRun::End::TimedOut;
    CHECK(sync_outcome(hung, "", 3600).error->starts_with("sync did not finish within 3600 s"));
}

TEST_CASE("sync process: runs the command with --result-fd 3 and reads the result", "[sync-process]")
{
    std::atomic<bool> stop{false};
    SyncOutcome said;
    said.summary = "sync: up to date";
    said.warnings = {"a warning"};
    std::string json = sync_result_json(said);
    // The arguments after the script's own: "$1" "$2" are --result-fd 3.
    SyncProcess ok({"/bin/sh", "-c", "test \"$1 $2\" = '--result-fd 3' && printf '%s' \"$0\" >&3; "
                                     "echo 'signage-player error: sync failed: not this' >&2", json},
                   10);
    SyncOutcome out = ok.run(stop);
    CHECK_FALSE(out.error);
    CHECK(out.summary == "sync: up to date");
    CHECK(out.warnings == std::vector<std::string>{"a warning"});

    SyncProcess hung(shell("sleep 30"), 0.1);
    out = hung.run(stop);
    REQUIRE(out.error);
    CHECK(out.error->find("did not finish within 0.1 s") != std::string::npos);
}
