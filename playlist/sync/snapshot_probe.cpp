#include "playlist/sync/snapshot_probe.h"

#include "playlist/base/values.h"

#include <algorithm>
#include <set>

namespace signage {

namespace {

constexpr std::string_view kAnswerStart = "probe\t";
constexpr std::string_view kOk = "ok";
constexpr std::string_view kFailed = "failed";

std::string_view kind_name(ProbeKind kind)
{
    return kind == ProbeKind::Video ? "video" : "image";
}

// One line of text: tabs and line ends (FFmpeg's messages may hold them) become spaces.
std::string one_line(std::string_view text)
{
    std::string out(text);
    for (char& c : out)
        if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f)
            c = ' ';
    return out;
}

// The last line of the child's output that is not an answer: a config error, the module's own
// complaint. Said when a child answered nothing.
std::string last_other_line(std::string_view output)
{
    std::string_view last;
    while (!output.empty()) {
        size_t end = output.find('\n');
        std::string_view line = output.substr(0, end);
        output = end == std::string_view::npos ? std::string_view{} : output.substr(end + 1);
        if (!line.empty() && !line.starts_with(kAnswerStart))
            last = line;
    }
    return one_line(last);
}

}  // namespace

std::vector<ProbeFile> files_to_probe(const Playlist& playlist, const std::string& root,
                                      const std::function<bool(const std::string& path)>& is_new)
{
    std::vector<ProbeFile> out;
    std::set<std::pair<std::string, ProbeKind>> seen;
    std::string prefix = root.ends_with('/') ? root : root + "/";
    auto add = [&](const std::string& full, ProbeKind kind) {
        if (!full.starts_with(prefix))
            return;
        std::string path = full.substr(prefix.size());
        if (path.empty() || !is_new(path) || !seen.emplace(path, kind).second)
            return;
        out.push_back({path, kind});
    };
    for (const PlaylistItem& item : playlist.items) {
        if (item.type == ItemType::Video)
            add(item.path, ProbeKind::Video);
        else if (item.type == ItemType::Image)
            add(item.path, ProbeKind::Image);
        if (!item.background_image.empty())
            add(item.background_image, ProbeKind::Image);
    }
    return out;
}

std::string probe_argument(const ProbeFile& file)
{
    return std::string(kind_name(file.kind)) + ":" + file.path;
}

std::optional<ProbeFile> parse_probe_argument(std::string_view argument)
{
    for (ProbeKind kind : {ProbeKind::Video, ProbeKind::Image}) {
        std::string prefix = std::string(kind_name(kind)) + ":";
        if (argument.starts_with(prefix) && argument.size() > prefix.size())
            return ProbeFile{std::string(argument.substr(prefix.size())), kind};
    }
    return std::nullopt;
}

std::string probe_answer_line(const ProbeFile& file, std::string_view problem)
{
    std::string line = std::string(kAnswerStart) + std::string(problem.empty() ? kOk : kFailed) + "\t" +
                       one_line(probe_argument(file));
    if (!problem.empty())
        line += "\t" + one_line(problem);
    return line + "\n";
}

std::vector<ProbeAnswer> parse_probe_answers(std::string_view output)
{
    std::vector<ProbeAnswer> answers;
    while (!output.empty()) {
        size_t end = output.find('\n');
        std::string_view line = output.substr(0, end);
        // A line cut off by the child's death is no answer: only complete lines count.
        if (end == std::string_view::npos)
            break;
        output = output.substr(end + 1);
        if (!line.starts_with(kAnswerStart))
            continue;
        line.remove_prefix(kAnswerStart.size());
        size_t tab = line.find('\t');
        if (tab == std::string_view::npos)
            continue;
        std::string_view verdict = line.substr(0, tab);
        std::string_view rest = line.substr(tab + 1);
        size_t reason_at = rest.find('\t');
        auto file = parse_probe_argument(rest.substr(0, reason_at));
        if (!file)
            continue;
        if (verdict == kOk && reason_at == std::string_view::npos)
            answers.push_back({std::move(*file), ""});
        else if (verdict == kFailed && reason_at != std::string_view::npos && reason_at + 1 < rest.size())
            answers.push_back({std::move(*file), std::string(rest.substr(reason_at + 1))});
    }
    return answers;
}

ProbeRunReading read_probe_run(const std::vector<ProbeFile>& files, const ChildRun& run, double timeout_seconds)
{
    ProbeRunReading reading;
    reading.problems.resize(files.size());
    size_t answered = 0;
    for (const ProbeAnswer& answer : parse_probe_answers(run.output)) {
        auto at = std::find(files.begin(), files.end(), answer.file);
        if (at == files.end() || reading.problems[at - files.begin()])
            continue;  // not asked, or said twice: the first word counts
        reading.problems[at - files.begin()] = answer.problem;
        ++answered;
    }
    if (answered == files.size())
        return reading;
    switch (run.end) {
    case ChildRun::End::Signalled: reading.blame = "the probe crashed on it (" + signal_text(run.status) + ")"; break;
    case ChildRun::End::TimedOut:
        reading.blame = "the probe did not finish within " + format_seconds(timeout_seconds) +
                        " ([limits] probe_timeout per file); stopped it";
        break;
    case ChildRun::End::Exited: {
        std::string said = last_other_line(run.output);
        std::string why = "the probe gave no answer for it (exit status " + std::to_string(run.status) +
                          (said.empty() ? "" : ": " + said) + ")";
        if (answered == 0) {
            // It could not work at all (no signage-player beside the sync, a bad config): asking again one file at
            // a time would say the same, once a file.
            for (auto& problem : reading.problems)
                problem = why;
            return reading;
        }
        reading.blame = why;
        break;
    }
    case ChildRun::End::Stopped: return reading;  // the caller stops
    }
    for (auto& problem : reading.problems)
        if (!problem) {
            problem = *reading.blame;
            break;
        }
    return reading;
}

Result<std::vector<std::string>> probe_files(const ProbeCommand& command, const std::string& root,
                                             const std::vector<ProbeFile>& files, const std::atomic<bool>& stop)
{
    std::vector<std::string> problems(files.size());
    std::vector<size_t> pending(files.size());
    for (size_t i = 0; i < files.size(); ++i)
        pending[i] = i;
    while (!pending.empty()) {
        size_t count = std::min(pending.size(), kProbeFilesPerChild);
        std::vector<ProbeFile> batch;
        std::vector<std::string> argv = command.argv;
        argv.insert(argv.end(), {"--inside", root});
        for (size_t i = 0; i < count; ++i) {
            batch.push_back(files[pending[i]]);
            argv.push_back(probe_argument(batch.back()));
        }
        double timeout = command.start_seconds + command.seconds_per_file * static_cast<double>(count);
        auto run = run_child(argv, timeout, stop);
        if (!run)
            return run.error();
        if (run->end == ChildRun::End::Stopped)
            return Error{root, 0, "media probe stopped"};
        ProbeRunReading reading = read_probe_run(batch, *run, timeout);
        std::vector<size_t> again;
        for (size_t i = 0; i < count; ++i) {
            if (reading.problems[i])
                problems[pending[i]] = *reading.problems[i];
            else
                again.push_back(pending[i]);
        }
        // Every run settles at least one file (the one blamed), so this ends.
        again.insert(again.end(), pending.begin() + static_cast<std::ptrdiff_t>(count), pending.end());
        pending = std::move(again);
    }
    return problems;
}

}  // namespace signage
