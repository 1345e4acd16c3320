#include "playlist/base/child_process.h"

#include "playlist/base/file_io.h"
#include "playlist/base/posix_handles.h"

#include <chrono>
#include <climits>
#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <poll.h>
#include <spawn.h>
#include <sys/wait.h>
#include <string_view>
#include <thread>
#include <unistd.h>

extern char** environ;

namespace signage {

namespace {

constexpr size_t kMaxOutput = 64 * 1024;
// After SIGKILL a process normally goes within microseconds; one blocked in the kernel on a dead
// mount may not go at all, and the caller must not wait for it.
constexpr double kKillGrace = 0.5;

struct SpawnActions {
    posix_spawn_file_actions_t actions;
    SpawnActions() { posix_spawn_file_actions_init(&actions); }
    ~SpawnActions() { posix_spawn_file_actions_destroy(&actions); }
    SpawnActions(const SpawnActions&) = delete;
    SpawnActions& operator=(const SpawnActions&) = delete;
};

struct SpawnAttributes {
    posix_spawnattr_t attributes;
    SpawnAttributes() { posix_spawnattr_init(&attributes); }
    ~SpawnAttributes() { posix_spawnattr_destroy(&attributes); }
    SpawnAttributes(const SpawnAttributes&) = delete;
    SpawnAttributes& operator=(const SpawnAttributes&) = delete;
};

using Steady = std::chrono::steady_clock;

double seconds_since(Steady::time_point start)
{
    return std::chrono::duration<double>(Steady::now() - start).count();
}

// Kills the child and waits a little for it; false when it is still there.
bool kill_and_reap(pid_t pid)
{
    ::kill(pid, SIGKILL);
    auto start = Steady::now();
    for (;;) {
        int status = 0;
        pid_t got = ::waitpid(pid, &status, WNOHANG);
        if (got == pid || (got < 0 && errno == ECHILD))
            return true;
        if (seconds_since(start) >= kKillGrace)
            return false;
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
}

}  // namespace

std::string signal_text(int signal)
{
    const char* name = sigdescr_np(signal);
    return "signal " + std::to_string(signal) + " (" + (name ? name : "?") + ")";
}

std::string own_program()
{
    char path[PATH_MAX];
    ssize_t n = ::readlink("/proc/self/exe", path, sizeof path - 1);
    if (n <= 0)
        return "/proc/self/exe";
    std::string out(path, static_cast<size_t>(n));
    constexpr std::string_view kDeleted = " (deleted)";
    if (out.ends_with(kDeleted))
        out.erase(out.size() - kDeleted.size());
    return out;
}

bool reap_child(pid_t pid)
{
    int status = 0;
    pid_t got = ::waitpid(pid, &status, WNOHANG);
    return got == pid || (got < 0 && errno == ECHILD);
}

std::string program_beside_me(std::string_view name)
{
    std::string self = own_program();
    size_t slash = self.rfind('/');
    return (slash == std::string::npos ? std::string() : self.substr(0, slash + 1)) + std::string(name);
}

Result<ChildRun> run_child(const std::vector<std::string>& argv, double timeout_seconds,
                           const std::atomic<bool>& stop, int pass_fd)
{
    if (argv.empty())
        return Error{"", 0, "no program to run"};
    int ends[2];
    if (::pipe2(ends, O_CLOEXEC) != 0)
        return os_error(argv[0], "create a pipe for", errno);
    UniqueFd read_end(ends[0]);
    UniqueFd write_end(ends[1]);

    SpawnActions actions;
    posix_spawn_file_actions_addopen(&actions.actions, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_adddup2(&actions.actions, write_end.get(), 1);
    posix_spawn_file_actions_adddup2(&actions.actions, write_end.get(), 2);
    // dup2 clears close-on-exec on the copy (also when pass_fd is kChildPassedFd already).
    if (pass_fd >= 0)
        posix_spawn_file_actions_adddup2(&actions.actions, pass_fd, kChildPassedFd);
    // The player's other descriptors (display, cache locks, pins) are none of the child's business.
    posix_spawn_file_actions_addclosefrom_np(&actions.actions, pass_fd >= 0 ? kChildPassedFd + 1 : 3);

    // A clean signal state: the player blocks or handles some, and handlers set to "ignore"
    // would survive exec.
    SpawnAttributes attributes;
    sigset_t none;
    sigemptyset(&none);
    posix_spawnattr_setsigmask(&attributes.attributes, &none);
    sigset_t defaults;
    sigemptyset(&defaults);
    for (int sig : {SIGTERM, SIGINT, SIGHUP, SIGPIPE, SIGCHLD, SIGUSR1, SIGUSR2})
        sigaddset(&defaults, sig);
    posix_spawnattr_setsigdefault(&attributes.attributes, &defaults);
    posix_spawnattr_setflags(&attributes.attributes, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);

    std::vector<char*> args;
    for (const auto& arg : argv)
        args.push_back(const_cast<char*>(arg.c_str()));
    args.push_back(nullptr);

    ChildRun run;
    int err = ::posix_spawn(&run.pid, argv[0].c_str(), &actions.actions, &attributes.attributes, args.data(), environ);
    if (err != 0)
        return os_error(argv[0], "start", err);
    write_end.reset();  // EOF on read_end once the child (and only it) has closed its copies

    auto start = Steady::now();
    bool eof = false;
    char buffer[4096];
    for (;;) {
        if (stop.load()) {
            run.end = ChildRun::End::Stopped;
            break;
        }
        double left = timeout_seconds - seconds_since(start);
        if (left <= 0) {
            run.end = ChildRun::End::TimedOut;
            break;
        }
        // Short waits: `stop` is an atomic flag, not a descriptor, so it is looked at 20 times a second.
        int wait_ms = static_cast<int>(std::min(left, 0.05) * 1000) + 1;
        if (!eof) {
            pollfd p{read_end.get(), POLLIN, 0};
            int ready = ::poll(&p, 1, wait_ms);
            if (ready > 0) {
                ssize_t n = read_some(read_end.get(), buffer, sizeof buffer);
                if (n > 0) {
                    run.output.append(buffer, static_cast<size_t>(n));
                    if (run.output.size() > kMaxOutput)
                        run.output.erase(0, run.output.size() - kMaxOutput);
                } else if (n == 0 || errno != EAGAIN) {
                    eof = true;
                }
            }
            continue;
        }
        int status = 0;
        pid_t got = ::waitpid(run.pid, &status, WNOHANG);
        if (got == run.pid) {
            if (WIFSIGNALED(status)) {
                run.end = ChildRun::End::Signalled;
                run.status = WTERMSIG(status);
            } else {
                run.end = ChildRun::End::Exited;
                run.status = WEXITSTATUS(status);
            }
            return run;
        }
        if (got < 0 && errno != EINTR)
            return os_error(argv[0], "wait for", errno);
        std::this_thread::sleep_for(std::chrono::milliseconds(wait_ms));
    }
    run.reaped = kill_and_reap(run.pid);
    return run;
}

}  // namespace signage
