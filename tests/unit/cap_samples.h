// CAP 1.2 alerts for the tests, laid out like the examples of the OASIS CAP 1.2 specification
// (section 3.4 and appendix A): a provincial weather office's typhoon warning in Chinese and English.
#pragma once

#include <string>

namespace signage::testing {

// 2026-12-24T19:25:03+08:00 and the info block's times, as Unix seconds.
inline constexpr double kTyphoonSent = 1798111503;
inline constexpr double kTyphoonEffective = 1798111800;  // 2026-12-24T19:30:00+08:00
inline constexpr double kTyphoonOnset = 1798113600;      // 2026-12-24T20:00:00+08:00
inline constexpr double kTyphoonExpires = 1798155000;    // 2026-12-25T07:30:00+08:00

inline const std::string kTyphoonInfoZh = R"(
  <info>
    <language>zh-CN</language>
    <category>Met</category>
    <event>台风红色预警</event>
    <responseType>Shelter</responseType>
    <urgency>Immediate</urgency>
    <severity>Extreme</severity>
    <certainty>Observed</certainty>
    <effective>2026-12-24T19:30:00+08:00</effective>
    <onset>2026-12-24T20:00:00+08:00</onset>
    <expires>2026-12-25T07:30:00+08:00</expires>
    <senderName>广东省气象台</senderName>
    <headline>广东省气象台发布台风红色预警信号</headline>
    <description>
      受今年第28号台风影响，预计未来12小时内珠江口沿海将出现12级以上大风和特大暴雨。
      请立即停止户外活动，留在安全的室内，远离临时搭建物。
    </description>
    <instruction>停止集会，停课停业（特殊行业除外）。</instruction>
    <web>http://www.gd-weather.example.cn/warning/</web>
    <area>
      <areaDesc>广州市、深圳市、珠海市沿海</areaDesc>
      <polygon>22.10,113.20 22.90,113.20 22.90,114.40 22.10,114.40 22.10,113.20</polygon>
    </area>
  </info>)";

inline const std::string kTyphoonInfoEn = R"(
  <info>
    <language>en-US</language>
    <category>Met</category>
    <event>Typhoon Red Warning</event>
    <urgency>Immediate</urgency>
    <severity>Extreme</severity>
    <certainty>Observed</certainty>
    <effective>2026-12-24T19:30:00+08:00</effective>
    <expires>2026-12-25T07:30:00+08:00</expires>
    <headline>Red typhoon warning for the Pearl River Estuary</headline>
    <description>Winds of force 12 and above within 12 hours. Stay indoors.</description>
    <area>
      <areaDesc>Guangzhou, Shenzhen, Zhuhai coast</areaDesc>
    </area>
  </info>)";

struct CapSample {
    std::string identifier = "GD-440000-20261224192503-TYPHOON";
    std::string sender = "warning@gd-weather.example.cn";
    std::string sent = "2026-12-24T19:25:03+08:00";
    std::string status = "Actual";
    std::string msg_type = "Alert";
    std::string references;  // the text of <references>, none when empty
    std::string infos = kTyphoonInfoZh;

    std::string xml() const
    {
        std::string out = "<?xml version = \"1.0\" encoding = \"UTF-8\"?>\n"
                          "<alert xmlns = \"urn:oasis:names:tc:emergency:cap:1.2\">\n"
                          "  <identifier>" + identifier + "</identifier>\n"
                          "  <sender>" + sender + "</sender>\n"
                          "  <sent>" + sent + "</sent>\n"
                          "  <status>" + status + "</status>\n"
                          "  <msgType>" + msg_type + "</msgType>\n"
                          "  <scope>Public</scope>\n";
        if (!references.empty())
            out += "  <references>" + references + "</references>\n";
        return out + infos + "\n</alert>\n";
    }

    // "sender,identifier,sent": how an Update or Cancel names this message.
    std::string reference() const { return sender + "," + identifier + "," + sent; }
};

}  // namespace signage::testing
