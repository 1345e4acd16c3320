#include "playlist/alerts/alert_folder.h"
#include "tests/unit/cap_samples.h"
#include "tests/unit/temp_dir.h"

#include <catch2/catch.hpp>

#include <chrono>
#include <fcntl.h>
#include <filesystem>
#include <fstream>
#include <future>
#include <iconv.h>
#include <sys/stat.h>
#include <unistd.h>

using namespace signage;
using signage::testing::CapSample;
using signage::testing::TempDir;
namespace fs = std::filesystem;

namespace {

std::vector<std::string> ids(const std::vector<const Alert*>& alerts)
{
    std::vector<std::string> out;
    for (const Alert* a : alerts)
        out.push_back(a->id);
    return out;
}

std::vector<std::string> ids(const AlertFolder& folder)
{
    std::vector<std::string> out;
    for (const Alert& a : folder.alerts)
        out.push_back(a.id);
    return out;
}

// The one error (or notice) about `file`, failing when there is not exactly one.
std::string message_about(const std::vector<Error>& list, const std::string& file)
{
    std::vector<std::string> found;
    for (const Error& e : list)
        if (e.file == file)
            found.push_back(e.message);
    INFO(file);
    REQUIRE(found.size() == 1);
    return found[0];
}

std::string to_gb18030(const std::string& utf8)
{
    iconv_t cd = iconv_open("GB18030", "UTF-8");
    REQUIRE(cd != reinterpret_cast<iconv_t>(-1));
    std::string out(utf8.size() * 4 + 16, '\0');
    char* in_ptr = const_cast<char*>(utf8.data());
    size_t in_left = utf8.size();
    char* out_ptr = out.data();
    size_t out_left = out.size();
    size_t rc = iconv(cd, &in_ptr, &in_left, &out_ptr, &out_left);
    iconv_close(cd);
    REQUIRE(rc != static_cast<size_t>(-1));
    out.resize(out.size() - out_left);
    return out;
}

std::string tiny_png()
{
    std::ifstream in(std::string(SIGNAGE_SOURCE_DIR) + "/tests/fuzz/corpus/fuzz_image_header/tiny.png",
                     std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
}

}  // namespace

TEST_CASE("alerts: a missing folder is no alerts and no error", "[alerts]")
{
    TempDir dir;
    AlertFolder folder = read_alert_folder(dir.file("alerts"));
    CHECK(folder.alerts.empty());
    CHECK(folder.errors.empty());
    CHECK(folder.notices.empty());
    CHECK(active_alerts(folder, 0).empty());
    CHECK(next_alert_change(folder, 0) == kNever);
}

TEST_CASE("alerts: text files, in any encoding, are up until removed", "[alerts]")
{
    TempDir dir;
    dir.write("alerts/b-utf8.txt", "\n  紧急通知  \n\n本网点今日16:00起暂停营业。\n请到附近网点办理业务。\n\n");
    dir.write("alerts/a-gbk.txt", to_gb18030("警惕冒充客服诈骗\r\n凡是要求转账到“安全账户”的都是诈骗！\r\n"));
    AlertFolder folder = read_alert_folder(dir.file("alerts"));
    CHECK(folder.errors.empty());
    REQUIRE(ids(folder) == std::vector<std::string>{"a-gbk.txt", "b-utf8.txt"});
    const Alert& gbk = folder.alerts[0];
    CHECK(gbk.kind == Alert::Kind::Text);
    CHECK(gbk.file == dir.file("alerts/a-gbk.txt"));
    CHECK(gbk.headline == "警惕冒充客服诈骗");
    CHECK(gbk.description == "凡是要求转账到“安全账户”的都是诈骗！");
    const Alert& utf8 = folder.alerts[1];
    CHECK(utf8.headline == "紧急通知");
    CHECK(utf8.description == "本网点今日16:00起暂停营业。\n请到附近网点办理业务。");
    CHECK(utf8.effective == -kNever);
    CHECK(utf8.expires == kNever);
    CHECK(utf8.cap_identifier.empty());
    CHECK(active_alerts(folder, 0).size() == 2);
    CHECK(next_alert_change(folder, 0) == kNever);
}

TEST_CASE("alerts: an image is checked by its header, not decoded", "[alerts]")
{
    TempDir dir;
    std::string png = tiny_png();
    REQUIRE(png.size() > 8);
    dir.write("alerts/poster.PNG", png);
    dir.write("alerts/fake.jpg", "this is not a JPEG");
    AlertFolder folder = read_alert_folder(dir.file("alerts"));
    REQUIRE(ids(folder) == std::vector<std::string>{"poster.PNG"});
    CHECK(folder.alerts[0].kind == Alert::Kind::Image);
    CHECK(folder.alerts[0].image == dir.file("alerts/poster.PNG"));
    CHECK_THAT(message_about(folder.errors, dir.file("alerts/fake.jpg")), Catch::Contains("not an image"));
}

TEST_CASE("alerts: files that cannot be shown are errors naming them", "[alerts]")
{
    TempDir dir;
    dir.write("alerts/blank.txt", " \n\t\n　\n");
    dir.write("alerts/notes.docx", "PK...");
    dir.write("alerts/README", "what goes here");
    dir.write("alerts/bad.txt", "\x80\xff\xff not UTF-8, not GB18030");
    dir.write("alerts/big.txt", std::string(kMaxAlertFileBytes + 1, 'x'));
    dir.write("alerts/ok.txt", "一行");
    AlertFolder folder = read_alert_folder(dir.file("alerts"));
    CHECK(ids(folder) == std::vector<std::string>{"ok.txt"});
    CHECK(folder.errors.size() == 5);
    CHECK_THAT(message_about(folder.errors, dir.file("alerts/blank.txt")), Catch::StartsWith("is empty"));
    CHECK_THAT(message_about(folder.errors, dir.file("alerts/notes.docx")), Catch::Contains("not a kind of alert file"));
    CHECK_THAT(message_about(folder.errors, dir.file("alerts/README")), Catch::Contains("not a kind of alert file"));
    CHECK_FALSE(message_about(folder.errors, dir.file("alerts/bad.txt")).empty());
    CHECK_THAT(message_about(folder.errors, dir.file("alerts/big.txt")), Catch::Contains("more than the 1048576"));
}

TEST_CASE("alerts: hidden files, copies in progress and subfolders are left alone", "[alerts]")
{
    TempDir dir;
    dir.write("alerts/.DS_Store", "junk");
    dir.write("alerts/.notice.txt.swp", "junk");
    dir.write("alerts/upload.txt.part", "半个文件");
    dir.write("alerts/copy.tmp", "半个文件");
    dir.write("alerts/notice.txt~", "旧版本");
    dir.write("alerts/old/last-year.txt", "去年的通知");
    AlertFolder folder = read_alert_folder(dir.file("alerts"));
    CHECK(folder.alerts.empty());
    CHECK(folder.errors.empty());
    CHECK_THAT(message_about(folder.notices, dir.file("alerts/old")), Catch::Contains("is a folder"));
}

TEST_CASE("alerts: a symlink is refused, even to a readable file", "[alerts]")
{
    TempDir dir;
    dir.write("alerts/ok.txt", "好");
    fs::create_symlink("/etc/passwd", dir.file("alerts/passwd.txt"));
    fs::create_symlink("ok.txt", dir.file("alerts/inside.txt"));
    AlertFolder folder = read_alert_folder(dir.file("alerts"));
    CHECK(ids(folder) == std::vector<std::string>{"ok.txt"});
    std::string why = message_about(folder.errors, dir.file("alerts/passwd.txt"));
    CHECK_THAT(why, Catch::Contains("symbolic link to /etc/passwd") && Catch::Contains("refused"));
    CHECK_THAT(message_about(folder.errors, dir.file("alerts/inside.txt")), Catch::Contains("symbolic link"));
    for (const Alert& a : folder.alerts)
        CHECK(a.description.find("root:") == std::string::npos);
}

TEST_CASE("alerts: a FIFO is refused without blocking", "[alerts]")
{
    TempDir dir;
    dir.write("alerts/ok.txt", "好");
    std::string fifo = dir.file("alerts/pipe.txt");
    REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
    auto reading = std::async(std::launch::async, [&] { return read_alert_folder(dir.file("alerts")); });
    if (reading.wait_for(std::chrono::seconds(5)) != std::future_status::ready) {
        // A writer lets a reader blocked in open() go, so the test fails instead of hanging.
        int unblock = ::open(fifo.c_str(), O_WRONLY | O_NONBLOCK);
        reading.wait();
        ::close(unblock);
        FAIL("reading the alerts folder blocked on a FIFO");
    }
    AlertFolder folder = reading.get();
    CHECK(ids(folder) == std::vector<std::string>{"ok.txt"});
    CHECK_THAT(message_about(folder.errors, fifo), Catch::Contains("FIFO") && Catch::Contains("refused"));
}

TEST_CASE("alerts: more than 100 files, the first 100 by name are read", "[alerts]")
{
    TempDir dir;
    for (int i = 0; i < 105; ++i) {
        char name[32];
        std::snprintf(name, sizeof name, "alerts/%03d.txt", i);
        dir.write(name, "通知 " + std::to_string(i));
    }
    AlertFolder folder = read_alert_folder(dir.file("alerts"));
    REQUIRE(folder.alerts.size() == kMaxAlertFiles);
    CHECK(folder.alerts.front().id == "000.txt");
    CHECK(folder.alerts.back().id == "099.txt");
    REQUIRE(folder.errors.size() == 1);
    CHECK(folder.errors[0].file == dir.file("alerts"));
    CHECK_THAT(folder.errors[0].message, Catch::StartsWith("5 files ignored"));
}

TEST_CASE("alerts: a CAP alert is up from effective until expires", "[alerts]")
{
    TempDir dir;
    dir.write("alerts/typhoon.xml", CapSample{}.xml());
    dir.write("alerts/notice.txt", "营业厅临时调整营业时间");
    AlertFolder folder = read_alert_folder(dir.file("alerts"));
    CHECK(folder.errors.empty());
    CHECK(folder.notices.empty());
    REQUIRE(ids(folder) == std::vector<std::string>{"notice.txt", "typhoon.xml"});
    const Alert& typhoon = folder.alerts[1];
    CHECK(typhoon.kind == Alert::Kind::Text);
    CHECK(typhoon.headline == "广东省气象台发布台风红色预警信号");
    CHECK_THAT(typhoon.description, Catch::StartsWith("受今年第28号台风影响"));
    CHECK(typhoon.effective == testing::kTyphoonEffective);
    CHECK(typhoon.expires == testing::kTyphoonExpires);
    CHECK(typhoon.cap_sender == "warning@gd-weather.example.cn");
    CHECK(typhoon.cap_identifier == "GD-440000-20261224192503-TYPHOON");
    CHECK(typhoon.cap_sent == "2026-12-24T11:25:03-00:00");

    using V = std::vector<std::string>;
    CHECK(ids(active_alerts(folder, testing::kTyphoonSent)) == V{"notice.txt"});  // sent, not yet effective
    CHECK(ids(active_alerts(folder, testing::kTyphoonEffective)) == V{"notice.txt", "typhoon.xml"});
    CHECK(ids(active_alerts(folder, testing::kTyphoonExpires - 1)) == V{"notice.txt", "typhoon.xml"});
    CHECK(ids(active_alerts(folder, testing::kTyphoonExpires)) == V{"notice.txt"});

    CHECK(next_alert_change(folder, 0) == testing::kTyphoonEffective);
    CHECK(next_alert_change(folder, testing::kTyphoonEffective) == testing::kTyphoonExpires);
    CHECK(next_alert_change(folder, testing::kTyphoonExpires) == kNever);
}

TEST_CASE("alerts: without effective a CAP alert is up from sent; rotation follows effective", "[alerts]")
{
    TempDir dir;
    CapSample early;
    early.identifier = "EARLY";
    early.infos = "<info><language>zh-CN</language><event>提前</event></info>";
    CapSample later;  // effective 19:30
    dir.write("alerts/a-later.xml", later.xml());
    dir.write("alerts/z-early.xml", early.xml());
    AlertFolder folder = read_alert_folder(dir.file("alerts"));
    CHECK(folder.errors.empty());
    REQUIRE(ids(folder) == std::vector<std::string>{"z-early.xml", "a-later.xml"});
    CHECK(folder.alerts[0].effective == testing::kTyphoonSent);
    CHECK(folder.alerts[0].headline == "提前");  // no headline: the event
    CHECK(folder.alerts[0].expires == kNever);
}

TEST_CASE("alerts: a CAP Cancel takes its alert down and is not shown", "[alerts]")
{
    TempDir dir;
    CapSample alert;
    CapSample cancel;
    cancel.identifier = "GD-440000-20261224210000-CANCEL";
    cancel.sent = "2026-12-24T21:00:00+08:00";
    cancel.msg_type = "Cancel";
    // Another spelling of the same sent instant still names the message.
    cancel.references = alert.sender + "," + alert.identifier + ",2026-12-24T11:25:03-00:00";
    cancel.infos = "";
    dir.write("alerts/typhoon.xml", alert.xml());
    dir.write("alerts/cancel.xml", cancel.xml());
    dir.write("alerts/notice.txt", "通知");
    AlertFolder folder = read_alert_folder(dir.file("alerts"));
    CHECK(folder.errors.empty());
    CHECK(ids(folder) == std::vector<std::string>{"notice.txt"});
    CHECK(message_about(folder.notices, dir.file("alerts/typhoon.xml")) == "cancelled by cancel.xml");
    CHECK(folder.notices.size() == 1);

    // A reference with another sent time names another message: nothing is cancelled.
    cancel.references = alert.sender + "," + alert.identifier + ",2026-12-24T18:00:00+08:00";
    dir.write("alerts/cancel.xml", cancel.xml());
    CHECK(ids(read_alert_folder(dir.file("alerts"))) == std::vector<std::string>{"notice.txt", "typhoon.xml"});
}

TEST_CASE("alerts: a CAP Update replaces the alert it references, whatever the file order", "[alerts]")
{
    TempDir dir;
    CapSample first;
    CapSample update;
    update.identifier = "GD-440000-20261224230000-TYPHOON";
    update.sent = "2026-12-24T23:00:00+08:00";
    update.msg_type = "Update";
    update.references = first.sender + "," + first.identifier;  // no sent: any sent
    update.infos = "<info><language>zh-CN</language><event>台风橙色预警</event>"
                   "<headline>台风红色预警降为橙色</headline></info>";
    dir.write("alerts/b-typhoon.xml", first.xml());
    dir.write("alerts/a-update.xml", update.xml());
    AlertFolder folder = read_alert_folder(dir.file("alerts"));
    CHECK(folder.errors.empty());
    REQUIRE(ids(folder) == std::vector<std::string>{"a-update.xml"});
    CHECK(folder.alerts[0].headline == "台风红色预警降为橙色");
    CHECK(folder.alerts[0].cap_identifier == "GD-440000-20261224230000-TYPHOON");
    CHECK(message_about(folder.notices, dir.file("alerts/b-typhoon.xml")) == "replaced by the update a-update.xml");
}

TEST_CASE("alerts: CAP messages that are not Actual are notices; a Test Cancel cancels nothing", "[alerts]")
{
    TempDir dir;
    CapSample real;
    CapSample test;
    test.identifier = "TEST-1";
    test.status = "Test";
    CapSample drill;
    drill.identifier = "EXERCISE-1";
    drill.status = "Exercise";
    drill.msg_type = "Cancel";
    drill.references = real.reference();
    dir.write("alerts/real.xml", real.xml());
    dir.write("alerts/test.xml", test.xml());
    dir.write("alerts/drill.cap", drill.xml());
    AlertFolder folder = read_alert_folder(dir.file("alerts"));
    CHECK(folder.errors.empty());
    CHECK(ids(folder) == std::vector<std::string>{"real.xml"});
    CHECK(message_about(folder.notices, dir.file("alerts/test.xml")) == "CAP status Test: not shown (only status Actual is)");
    CHECK_THAT(message_about(folder.notices, dir.file("alerts/drill.cap")), Catch::Contains("status Exercise"));
}

TEST_CASE("alerts: the info block in the screen's language is shown", "[alerts]")
{
    TempDir dir;
    CapSample both;
    both.infos = testing::kTyphoonInfoEn + testing::kTyphoonInfoZh;
    dir.write("alerts/typhoon.xml", both.xml());
    CHECK(read_alert_folder(dir.file("alerts")).alerts.at(0).headline == "广东省气象台发布台风红色预警信号");
    CHECK(read_alert_folder(dir.file("alerts"), "zh-CN").alerts.at(0).headline == "广东省气象台发布台风红色预警信号");
    CHECK(read_alert_folder(dir.file("alerts"), "en").alerts.at(0).headline ==
          "Red typhoon warning for the Pearl River Estuary");
    CHECK(read_alert_folder(dir.file("alerts"), "fr").alerts.at(0).headline ==
          "Red typhoon warning for the Pearl River Estuary");  // none: the first
    CHECK(read_alert_folder(dir.file("alerts"), "z").alerts.at(0).headline ==
          "Red typhoon warning for the Pearl River Estuary");  // "z" is no language of "zh-CN"
}

TEST_CASE("alerts: CAP files that cannot be shown are errors", "[alerts]")
{
    TempDir dir;
    std::string backwards = CapSample{}.xml();
    backwards.replace(backwards.find("<expires>2026-12-25T07:30:00+08:00"), 34, "<expires>2026-12-24T08:00:00+08:00");
    CapSample no_info;
    no_info.infos = "";
    std::string broken = CapSample{}.xml();
    broken.erase(broken.find("</alert>"));
    dir.write("alerts/backwards.xml", backwards);
    dir.write("alerts/no-info.xml", no_info.xml());
    dir.write("alerts/broken.xml", broken);
    AlertFolder folder = read_alert_folder(dir.file("alerts"));
    CHECK(folder.alerts.empty());
    CHECK(folder.errors.size() == 3);
    CHECK_THAT(message_about(folder.errors, dir.file("alerts/backwards.xml")), Catch::Contains("is before effective"));
    CHECK_THAT(message_about(folder.errors, dir.file("alerts/no-info.xml")), Catch::Contains("no <info>"));
    CHECK_THAT(message_about(folder.errors, dir.file("alerts/broken.xml")), Catch::Contains("not well-formed XML"));
}

TEST_CASE("alerts: the same CAP alert dropped in twice goes round once", "[alerts]")
{
    TempDir dir;
    dir.write("alerts/typhoon.xml", CapSample{}.xml());
    dir.write("alerts/typhoon (copy).xml", CapSample{}.xml());
    AlertFolder folder = read_alert_folder(dir.file("alerts"));
    CHECK(ids(folder) == std::vector<std::string>{"typhoon (copy).xml"});
    CHECK_THAT(message_about(folder.notices, dir.file("alerts/typhoon.xml")), Catch::Contains("shown once"));
}

TEST_CASE("alerts: next_alert_change walks every start and end", "[alerts]")
{
    AlertFolder folder;
    Alert a;
    a.id = "a";
    a.effective = 100;
    a.expires = 200;
    Alert b;
    b.id = "b";
    b.effective = 150;
    Alert c;  // always up: never a change
    c.id = "c";
    folder.alerts = {c, a, b};
    CHECK(next_alert_change(folder, 0) == 100);
    CHECK(next_alert_change(folder, 100) == 150);
    CHECK(next_alert_change(folder, 149.5) == 150);
    CHECK(next_alert_change(folder, 150) == 200);
    CHECK(next_alert_change(folder, 200) == kNever);
    CHECK(ids(active_alerts(folder, 99)) == std::vector<std::string>{"c"});
    CHECK(ids(active_alerts(folder, 150)) == std::vector<std::string>{"c", "a", "b"});
    CHECK(ids(active_alerts(folder, 200)) == std::vector<std::string>{"c", "b"});
}
