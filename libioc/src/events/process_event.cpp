// Process-creation event readers: see ioc/events/process_event.hpp.
//
// Every shape is first reduced to a RawRecord (EventID, provider, channel,
// endpoint, time, and the EventData fields as name/value strings); one mapping
// table (kFieldTable) then turns the fields into a ProcessEvent, so the
// per-shape code only finds where a shape keeps its fields.
#include "ioc/events/process_event.hpp"

#include "ioc/core/civil.hpp"
#include "ioc/text/ascii.hpp"

#include <simdjson.h>
#include <nlohmann/json.hpp>
#include <pugixml.hpp>

#include <algorithm>
#include <array>
#include <cstdio>
#include <optional>
#include <utility>

using ioc::core::civil_from_days;
using ioc::core::days_from_civil;

namespace ioc::events {
namespace {

constexpr std::size_t kMaxLine = 16u * 1024 * 1024;
constexpr int kMaxDepth = 256;

// ---------------------------------------------------------------------------
// The mapping table.

enum class Member {
  kImage,
  kCommandLine,
  kParentImage,
  kParentCommandLine,
  kGuid,
  kParentGuid,
  kPid,
  kPpid,
  kUser,
  kIntegrity,
  kLogonId,
  kHashes,
  kTime,
  kHost,
  // Security 4688 account parts, joined as "DOMAIN\user" after the table.
  kSubjectUser,
  kSubjectDomain,
  kTargetUser,
  kTargetDomain,
};

struct FieldRule {
  int event_id;           ///< 1 (Sysmon) or 4688 (Security)
  std::string_view name;  ///< EventData name (matched case-insensitively)
  Member member;
};

// Source field name -> ProcessEvent member, per EventID. Rows for the same
// member are in priority order (the first non-empty value wins).
constexpr std::array kFieldTable = {
    // Sysmon EventID 1 (Process Create).
    FieldRule{1, "Image", Member::kImage},
    FieldRule{1, "CommandLine", Member::kCommandLine},
    FieldRule{1, "ParentImage", Member::kParentImage},
    FieldRule{1, "ParentCommandLine", Member::kParentCommandLine},
    FieldRule{1, "ProcessGuid", Member::kGuid},
    FieldRule{1, "ParentProcessGuid", Member::kParentGuid},
    FieldRule{1, "ProcessId", Member::kPid},
    FieldRule{1, "ParentProcessId", Member::kPpid},
    FieldRule{1, "User", Member::kUser},
    FieldRule{1, "IntegrityLevel", Member::kIntegrity},
    FieldRule{1, "LogonId", Member::kLogonId},
    FieldRule{1, "Hashes", Member::kHashes},
    FieldRule{1, "UtcTime", Member::kTime},
    // Security EventID 4688 (A new process has been created).
    FieldRule{4688, "NewProcessName", Member::kImage},
    FieldRule{4688, "CommandLine", Member::kCommandLine},
    FieldRule{4688, "ParentProcessName", Member::kParentImage},
    FieldRule{4688, "NewProcessId", Member::kPid},  // hex: the child
    FieldRule{4688, "ProcessId", Member::kPpid},    // hex: the creator (parent)
    FieldRule{4688, "SubjectUserName", Member::kSubjectUser},
    FieldRule{4688, "SubjectDomainName", Member::kSubjectDomain},
    FieldRule{4688, "TargetUserName", Member::kTargetUser},
    FieldRule{4688, "TargetDomainName", Member::kTargetDomain},
    FieldRule{4688, "MandatoryLabel", Member::kIntegrity},
    FieldRule{4688, "SubjectLogonId", Member::kLogonId},
};

// Winlogbeat/ECS fields, used only when a record has no winlog.event_data.
struct EcsRule {
  std::string_view path;  ///< dotted path into the JSON object
  Member member;
};
constexpr std::array kEcsTable = {
    EcsRule{"process.executable", Member::kImage},
    EcsRule{"process.command_line", Member::kCommandLine},
    EcsRule{"process.entity_id", Member::kGuid},
    EcsRule{"process.pid", Member::kPid},
    EcsRule{"process.parent.executable", Member::kParentImage},
    EcsRule{"process.parent.command_line", Member::kParentCommandLine},
    EcsRule{"process.parent.entity_id", Member::kParentGuid},
    EcsRule{"process.parent.pid", Member::kPpid},
    EcsRule{"user.name", Member::kSubjectUser},
    EcsRule{"user.domain", Member::kSubjectDomain},
    EcsRule{"process.hash.sha256", Member::kHashes},
};

// Flattened records (NXLog/OTRF, Splunk fields, CSV): where the record-level
// facts are, in priority order. The Splunk `host` (a collector when the
// endpoint is also named) comes last.
constexpr std::array<std::string_view, 5> kEventIdNames = {"EventID", "EventCode", "event_id",
                                                           "EventId", "event.code"};
constexpr std::array<std::string_view, 5> kProviderNames = {
    "SourceName", "ProviderName", "Provider_Name", "Provider", "winlog.provider_name"};
constexpr std::array<std::string_view, 3> kChannelNames = {"Channel", "LogName", "winlog.channel"};
constexpr std::array<std::string_view, 6> kHostNames = {
    "Hostname", "Computer", "ComputerName", "winlog.computer_name", "host.name", "host"};
// EventTime in NXLog data is collector local time: not used. @timestamp is the
// ingest time in Logstash pipelines, a last resort only.
constexpr std::array<std::string_view, 5> kTimeNames = {"SystemTime", "TimeCreated", "_time",
                                                        "timestamp", "@timestamp"};

// ---------------------------------------------------------------------------
// Small helpers.

char upper(char c) noexcept {
  return (c >= 'a' && c <= 'z') ? static_cast<char>(c - 32) : c;
}

bool icontains(std::string_view hay, std::string_view needle) noexcept {
  return text::ifind(hay, needle) != std::string_view::npos;
}

std::string_view strip_bom(std::string_view s) noexcept {
  if (s.size() >= 3 && s.substr(0, 3) == "\xEF\xBB\xBF") s.remove_prefix(3);
  return s;
}

/// Decimal, or hex with a 0x prefix ("0x1a2c"); nullopt when not a number.
std::optional<std::uint64_t> parse_uint(std::string_view s) noexcept {
  s = text::trim_space(s);
  if (s.empty()) return std::nullopt;
  std::uint64_t v = 0;
  if (s.size() > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
    s.remove_prefix(2);
    if (s.size() > 16) return std::nullopt;
    for (char c : s) {
      int d;
      if (c >= '0' && c <= '9')
        d = c - '0';
      else if (c >= 'a' && c <= 'f')
        d = c - 'a' + 10;
      else if (c >= 'A' && c <= 'F')
        d = c - 'A' + 10;
      else
        return std::nullopt;
      v = v * 16 + static_cast<std::uint64_t>(d);
    }
    return v;
  }
  for (char c : s) {
    if (c < '0' || c > '9') return std::nullopt;
    const auto d = static_cast<std::uint64_t>(c - '0');
    if (v > (UINT64_MAX - d) / 10) return std::nullopt;
    v = v * 10 + d;
  }
  return v;
}

/// "{b34bc01c-...}" -> "B34BC01C-...".
std::string normalize_guid(std::string_view s) {
  s = text::trim_space(s);
  if (!s.empty() && s.front() == '{') s.remove_prefix(1);
  if (!s.empty() && s.back() == '}') s.remove_suffix(1);
  std::string out(s);
  for (char& c : out) c = upper(c);
  return out;
}

/// Windows integrity-level SIDs (MandatoryLabel) to Sysmon's names.
std::string normalize_integrity(std::string_view s) {
  static constexpr std::array<std::pair<std::string_view, std::string_view>, 6> kLabels = {{
      {"S-1-16-0", "Untrusted"},
      {"S-1-16-4096", "Low"},
      {"S-1-16-8192", "Medium"},
      {"S-1-16-8448", "MediumPlus"},
      {"S-1-16-12288", "High"},
      {"S-1-16-16384", "System"},
  }};
  s = text::trim_space(s);
  for (const auto& [sid, name] : kLabels)
    if (text::iequals(s, sid)) return std::string(name);
  return std::string(s);
}

/// "2017-08-22 23:21:35.219" (UTC) -> "2017-08-22T23:21:35.219Z"; an offset
/// ("+0000", "-04:00") is converted to UTC; sub-second digits are kept. Text
/// in another form is returned trimmed, as given.
std::string normalize_time(std::string_view s) {
  s = text::trim_space(s);
  auto num = [&](std::size_t pos, std::size_t len, unsigned& out) {
    if (pos + len > s.size()) return false;
    out = 0;
    for (std::size_t i = pos; i < pos + len; ++i) {
      if (s[i] < '0' || s[i] > '9') return false;
      out = out * 10 + static_cast<unsigned>(s[i] - '0');
    }
    return true;
  };
  unsigned year, mon, day, hh, mm, ss;
  if (!num(0, 4, year) || s.size() < 19 || s[4] != '-' || !num(5, 2, mon) || s[7] != '-' ||
      !num(8, 2, day) || (s[10] != 'T' && s[10] != ' ') || !num(11, 2, hh) || s[13] != ':' ||
      !num(14, 2, mm) || s[16] != ':' || !num(17, 2, ss) || mon < 1 || mon > 12 || day < 1 ||
      day > 31 || hh > 23 || mm > 59 || ss > 60)
    return std::string(s);
  std::size_t i = 19;
  std::string_view frac;
  if (i < s.size() && (s[i] == '.' || s[i] == ',')) {
    std::size_t j = i + 1;
    while (j < s.size() && s[j] >= '0' && s[j] <= '9') ++j;
    if (j == i + 1) return std::string(s);
    frac = s.substr(i + 1, j - i - 1);
    i = j;
  }
  std::string_view zone = text::trim_space(s.substr(i));
  int offset_min = 0;
  if (zone.empty() || zone == "Z" || zone == "z" || text::iequals(zone, "UTC") ||
      text::iequals(zone, "GMT")) {
    offset_min = 0;
  } else if (zone[0] == '+' || zone[0] == '-') {
    unsigned oh = 0, om = 0;
    std::string_view z = zone.substr(1);
    const bool colon = z.size() == 5 && z[2] == ':';
    if (!((z.size() == 4 || colon) &&
          std::string_view(z).find_first_not_of("0123456789:") == std::string_view::npos))
      return std::string(s);
    oh = static_cast<unsigned>((z[0] - '0') * 10 + (z[1] - '0'));
    const std::size_t mpos = colon ? 3 : 2;
    om = static_cast<unsigned>((z[mpos] - '0') * 10 + (z[mpos + 1] - '0'));
    if (oh > 23 || om > 59) return std::string(s);
    offset_min = static_cast<int>(oh * 60 + om) * (zone[0] == '-' ? -1 : 1);
  } else {
    return std::string(s);
  }
  std::int64_t y = year;
  if (offset_min != 0) {
    std::int64_t minutes = days_from_civil(y, mon, day) * 1440 + hh * 60 + mm - offset_min;
    std::int64_t days = minutes >= 0 ? minutes / 1440 : (minutes - 1439) / 1440;
    const std::int64_t rem = minutes - days * 1440;
    hh = static_cast<unsigned>(rem / 60);
    mm = static_cast<unsigned>(rem % 60);
    civil_from_days(days, y, mon, day);
  }
  if (y < 0 || y > 9999) return std::string(s);
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04u-%02u-%02uT%02u:%02u:%02u", static_cast<unsigned>(y), mon,
                day, hh, mm, ss);
  std::string out(buf);
  if (!frac.empty()) {
    out += '.';
    out += frac;
  }
  out += 'Z';
  return out;
}

// ---------------------------------------------------------------------------
// The shape-independent record.

struct RawRecord {
  std::optional<long long> event_id;
  bool bad_event_id = false;
  std::string provider;
  std::string channel;
  std::string host;
  std::string time;
  std::vector<std::pair<std::string, std::string>> data;  ///< EventData name -> value
  std::vector<std::pair<Member, std::string>> ecs;        ///< used when `data` is empty
};

const std::string* find_field(const RawRecord& r, std::string_view name) {
  for (const auto& [k, v] : r.data)
    if (text::iequals(k, name)) return &v;
  return nullptr;
}

/// A field's value, or "" when absent, empty or "-".
std::string_view field_value(const RawRecord& r, std::string_view name) {
  const std::string* v = find_field(r, name);
  if (v == nullptr) return {};
  std::string_view t = text::trim_space(*v);
  return t == "-" ? std::string_view{} : t;
}

void set_event_id_text(RawRecord& r, std::string_view text) {
  const auto v = parse_uint(text);
  if (v && *v <= 0x7fffffff) {
    r.event_id = static_cast<long long>(*v);
  } else {
    r.bad_event_id = true;
  }
}

ParseResult error(std::string message) {
  ParseResult r;
  r.kind = ParseKind::kError;
  r.error = std::move(message);
  return r;
}

void assign(ProcessEvent& e, std::array<std::string, 4>& acct, Member m, std::string_view v) {
  switch (m) {
    case Member::kImage: e.image = v; break;
    case Member::kCommandLine: e.command_line = v; break;
    case Member::kParentImage: e.parent_image = v; break;
    case Member::kParentCommandLine: e.parent_command_line = v; break;
    case Member::kGuid: e.guid = normalize_guid(v); break;
    case Member::kParentGuid: e.parent_guid = normalize_guid(v); break;
    case Member::kPid: e.pid = parse_uint(v).value_or(0); break;
    case Member::kPpid: e.ppid = parse_uint(v).value_or(0); break;
    case Member::kUser: e.user = v; break;
    case Member::kIntegrity: e.integrity_level = normalize_integrity(v); break;
    case Member::kLogonId: e.logon_id = v; break;
    case Member::kHashes: e.hashes = v; break;
    case Member::kTime: e.time = normalize_time(v); break;
    case Member::kHost: e.host = v; break;
    case Member::kSubjectUser: acct[0] = v; break;
    case Member::kSubjectDomain: acct[1] = v; break;
    case Member::kTargetUser: acct[2] = v; break;
    case Member::kTargetDomain: acct[3] = v; break;
  }
}

std::string join_account(std::string_view user, std::string_view domain) {
  if (user.empty()) return {};
  if (domain.empty() || user.find('\\') != std::string_view::npos) return std::string(user);
  std::string out(domain);
  out += '\\';
  out += user;
  return out;
}

/// The mapping table applied to a RawRecord.
ParseResult build(RawRecord& raw) {
  if (raw.bad_event_id) return error("EventID is not a number");
  if (!raw.event_id) {
    // A CSV `| table` export or extracted fields without an EventID column:
    // infer from the columns present.
    if (find_field(raw, "NewProcessName") != nullptr)
      raw.event_id = 4688;
    else if (find_field(raw, "Image") != nullptr || find_field(raw, "CommandLine") != nullptr)
      raw.event_id = 1;
    else if (!raw.ecs.empty())
      raw.event_id = 1;
    else
      return error("record has no EventID");
  }
  const long long id = *raw.event_id;
  ParseResult r;
  if (id == 1) {
    // EventID 1 belongs to many providers: only Sysmon's is a process creation.
    const bool known = !raw.provider.empty() || !raw.channel.empty();
    if (known && !icontains(raw.provider, "sysmon") && !icontains(raw.channel, "sysmon")) return r;
    r.event.source = "sysmon";
  } else if (id == 4688) {
    if (!raw.provider.empty() ? !icontains(raw.provider, "Security-Auditing")
                              : (!raw.channel.empty() && !text::iequals(raw.channel, "Security")))
      return r;
    r.event.source = "security";
  } else {
    return r;  // kOther
  }
  ProcessEvent& e = r.event;
  e.event_id = static_cast<int>(id);
  std::array<std::string, 4> acct;  // subject user, subject domain, target user, target domain
  std::array<bool, 18> done{};
  if (raw.data.empty()) {
    for (const auto& [m, v] : raw.ecs) {
      if (v.empty() || done[static_cast<std::size_t>(m)]) continue;
      assign(e, acct, m, v);
      done[static_cast<std::size_t>(m)] = true;
    }
  }
  for (const FieldRule& rule : kFieldTable) {
    if (rule.event_id != id || done[static_cast<std::size_t>(rule.member)]) continue;
    const std::string_view v = field_value(raw, rule.name);
    if (v.empty()) continue;
    assign(e, acct, rule.member, v);
    done[static_cast<std::size_t>(rule.member)] = true;
  }
  if (e.user.empty()) {
    e.user = join_account(acct[0], acct[1]);
    if (e.user.empty()) e.user = join_account(acct[2], acct[3]);
  }
  if (e.time.empty() && !raw.time.empty()) e.time = normalize_time(raw.time);
  e.host = std::string(text::trim_space(raw.host));
  if (e.image.empty() && e.command_line.empty()) {
    return error("process-creation event (EventID " + std::to_string(id) +
                 ") has neither Image nor CommandLine");
  }
  e.fields = std::move(raw.data);
  r.kind = ParseKind::kProcess;
  return r;
}

// ---------------------------------------------------------------------------
// XML (Splunk XmlWinEventLog, EVTX rendered as XML).

bool name_is(const char* name, std::string_view want) {
  std::string_view n(name);
  const std::size_t colon = n.rfind(':');
  if (colon != std::string_view::npos) n.remove_prefix(colon + 1);
  return n == want;
}

pugi::xml_node child_named(pugi::xml_node parent, std::string_view want) {
  for (pugi::xml_node c = parent.first_child(); c; c = c.next_sibling())
    if (c.type() == pugi::node_element && name_is(c.name(), want)) return c;
  return {};
}

ParseResult parse_xml(std::string_view text) {
  pugi::xml_document doc;
  const pugi::xml_parse_result pr =
      doc.load_buffer(text.data(), text.size(), pugi::parse_default, pugi::encoding_utf8);
  if (!pr) {
    return error(std::string("malformed XML: ") + pr.description() + " at offset " +
                 std::to_string(pr.offset));
  }
  const pugi::xml_node ev = doc.document_element();
  if (!ev || !name_is(ev.name(), "Event")) return error("XML record is not an <Event> element");
  RawRecord raw;
  const pugi::xml_node sys = child_named(ev, "System");
  if (!sys) return error("XML <Event> has no <System> element");
  const pugi::xml_node eid = child_named(sys, "EventID");
  if (!eid) return error("XML <Event> has no System/EventID");
  set_event_id_text(raw, eid.text().get());
  raw.provider = child_named(sys, "Provider").attribute("Name").value();
  raw.channel = child_named(sys, "Channel").text().get();
  raw.host = child_named(sys, "Computer").text().get();
  raw.time = child_named(sys, "TimeCreated").attribute("SystemTime").value();
  for (pugi::xml_node d = child_named(ev, "EventData").first_child(); d; d = d.next_sibling()) {
    if (d.type() != pugi::node_element || !name_is(d.name(), "Data")) continue;
    const pugi::xml_attribute name = d.attribute("Name");
    if (!name) continue;
    raw.data.emplace_back(name.value(), d.text().get());
  }
  return build(raw);
}

// ---------------------------------------------------------------------------
// JSON (simdjson's DOM).
//
// Objects read as the std::map of nlohmann::json (the parser used before)
// read them: members in bytewise key order, and of a duplicated key only the
// last. Text simdjson refuses is handed to nlohmann-json, which accepts a few
// documents simdjson does not (integers beyond 64 bits, anything after a NUL
// byte); its re-serialization is then read as any other.

using JsonElement = simdjson::dom::element;
using JsonType = simdjson::dom::element_type;

constexpr std::size_t kInitialCapacity = 64u * 1024;  ///< bytes of JSON the parser starts with
constexpr std::size_t kKeepCapacity = 1024u * 1024;   ///< a parser grown beyond this is dropped

struct JsonMember {
  std::string_view key;
  std::size_t index;  ///< position in the object
  JsonElement value;
};

/// Whether the JSON text nests deeper than kMaxDepth (a linear scan): tells
/// the depth error from the others once simdjson has refused the text.
bool too_deep(std::string_view s) noexcept {
  int depth = 0;
  bool in_string = false;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    if (in_string) {
      if (c == '\\')
        ++i;
      else if (c == '"')
        in_string = false;
    } else if (c == '"') {
      in_string = true;
    } else if (c == '{' || c == '[') {
      if (++depth > kMaxDepth) return true;
    } else if (c == '}' || c == ']') {
      --depth;
    }
  }
  return false;
}

/// The member `key` of an object (the last one when duplicated); nullopt when
/// absent or `obj` is not an object.
std::optional<JsonElement> find_member(JsonElement obj, std::string_view key) {
  simdjson::dom::object o;
  if (obj.get(o) != simdjson::SUCCESS) return std::nullopt;
  std::optional<JsonElement> found;
  for (const simdjson::dom::key_value_pair kv : o)
    if (kv.key == key) found = kv.value;
  return found;
}

/// A scalar as text: strings as is, numbers as decimal, booleans as
/// "true"/"false"; {"#text": x} (EVTX-to-JSON with attributes) as x. nullopt
/// for null, arrays and other objects.
std::optional<std::string> scalar(JsonElement v) {
  switch (v.type()) {
    case JsonType::STRING: {
      std::string_view s;
      if (v.get(s) != simdjson::SUCCESS) return std::nullopt;
      return std::string(s);
    }
    case JsonType::UINT64: {
      std::uint64_t u = 0;
      if (v.get(u) != simdjson::SUCCESS) return std::nullopt;
      return std::to_string(u);
    }
    case JsonType::INT64: {
      std::int64_t i = 0;
      if (v.get(i) != simdjson::SUCCESS) return std::nullopt;
      return std::to_string(i);
    }
    case JsonType::DOUBLE: {
      double d = 0;
      if (v.get(d) != simdjson::SUCCESS) return std::nullopt;
      if (d >= 0 && d < 1e18 && d == static_cast<double>(static_cast<std::uint64_t>(d)))
        return std::to_string(static_cast<std::uint64_t>(d));
      return std::to_string(d);
    }
    case JsonType::BOOL: {
      bool b = false;
      if (v.get(b) != simdjson::SUCCESS) return std::nullopt;
      return b ? "true" : "false";
    }
    case JsonType::OBJECT: {
      const auto text = find_member(v, "#text");
      if (text && !text->is_object()) return scalar(*text);
      return std::nullopt;
    }
    default: return std::nullopt;
  }
}

/// The value at a dotted path ("winlog.event_data"), or nullopt.
std::optional<JsonElement> at_path(JsonElement root, std::string_view path) {
  std::optional<JsonElement> cur = root;
  while (!path.empty()) {
    const std::size_t dot = path.find('.');
    cur = find_member(*cur, path.substr(0, dot));
    if (!cur) return std::nullopt;
    path = dot == std::string_view::npos ? std::string_view{} : path.substr(dot + 1);
  }
  return cur;
}

std::string scalar_at(JsonElement root, std::string_view path) {
  const auto v = at_path(root, path);
  return v ? scalar(*v).value_or("") : "";
}

/// An attribute of an EVTX-to-JSON element: "#attributes": {"Name": ...} or "@Name".
std::string attribute_at(JsonElement elem, std::string_view name) {
  if (!elem.is_object()) return {};
  if (const auto attrs = find_member(elem, "#attributes"); attrs && attrs->is_object()) {
    if (const auto v = find_member(*attrs, name)) return scalar(*v).value_or("");
  }
  if (const auto v = find_member(elem, "@" + std::string(name))) return scalar(*v).value_or("");
  if (const auto v = find_member(elem, name)) return scalar(*v).value_or("");  // no marker
  return {};
}

/// The scalar members of an object, in key order; `members` is scratch space.
void add_object_fields(RawRecord& raw, JsonElement obj, std::vector<JsonMember>& members) {
  simdjson::dom::object o;
  if (obj.get(o) != simdjson::SUCCESS) return;
  members.clear();
  for (const simdjson::dom::key_value_pair kv : o)
    members.push_back(JsonMember{kv.key, members.size(), kv.value});
  std::sort(members.begin(), members.end(), [](const JsonMember& a, const JsonMember& b) {
    return a.key != b.key ? a.key < b.key : a.index < b.index;
  });
  for (std::size_t i = 0; i < members.size(); ++i) {
    if (i + 1 < members.size() && members[i + 1].key == members[i].key) continue;  // the last wins
    if (auto s = scalar(members[i].value)) raw.data.emplace_back(members[i].key, std::move(*s));
  }
}

void set_event_id_json(RawRecord& raw, const std::optional<JsonElement>& v) {
  if (!v || v->is_null()) return;
  const auto s = scalar(*v);
  if (!s) {
    raw.bad_event_id = true;
    return;
  }
  set_event_id_text(raw, *s);
}

ParseResult parse_evtx_json(JsonElement event, std::vector<JsonMember>& members) {
  RawRecord raw;
  const auto sys = find_member(event, "System");
  if (!sys || !sys->is_object()) return error("Event.System is not an object");
  const auto eid = find_member(*sys, "EventID");
  if (!eid) return error("record has no Event.System.EventID");
  set_event_id_json(raw, eid);
  if (const auto p = find_member(*sys, "Provider")) raw.provider = attribute_at(*p, "Name");
  raw.channel = scalar_at(*sys, "Channel");
  raw.host = scalar_at(*sys, "Computer");
  if (const auto t = find_member(*sys, "TimeCreated")) raw.time = attribute_at(*t, "SystemTime");
  if (const auto data = find_member(event, "EventData")) {
    add_object_fields(raw, *data, members);
    // Some converters keep the XML layout: "Data": [{"@Name": .., "#text": ..}].
    simdjson::dom::array list;
    if (const auto l = find_member(*data, "Data"); l && l->get(list) == simdjson::SUCCESS) {
      for (const JsonElement d : list) {
        std::string name = attribute_at(d, "Name");
        if (name.empty()) continue;
        raw.data.emplace_back(std::move(name), scalar(d).value_or(""));
      }
    }
  }
  return build(raw);
}

ParseResult parse_winlogbeat(JsonElement root, std::vector<JsonMember>& members) {
  RawRecord raw;
  const auto eid = at_path(root, "winlog.event_id");
  set_event_id_json(raw, eid ? eid : at_path(root, "event.code"));
  if (!raw.event_id && !raw.bad_event_id) return error("record has no winlog.event_id");
  raw.provider = scalar_at(root, "winlog.provider_name");
  raw.channel = scalar_at(root, "winlog.channel");
  raw.host = scalar_at(root, "winlog.computer_name");
  if (raw.host.empty()) raw.host = scalar_at(root, "host.name");
  if (raw.host.empty()) raw.host = scalar_at(root, "host.hostname");
  raw.time = scalar_at(root, "@timestamp");
  if (const auto data = at_path(root, "winlog.event_data")) add_object_fields(raw, *data, members);
  if (raw.data.empty()) {
    for (const EcsRule& rule : kEcsTable) {
      std::string v = scalar_at(root, rule.path);
      if (!v.empty()) raw.ecs.emplace_back(rule.member, std::move(v));
    }
  }
  return build(raw);
}

std::string first_of(const RawRecord& raw, const auto& names) {
  for (std::string_view n : names) {
    const std::string_view v = field_value(raw, n);
    if (!v.empty()) return std::string(v);
  }
  return {};
}

/// Flattened records: NXLog/OTRF JSON, Splunk extracted fields, CSV rows.
ParseResult build_flat(RawRecord& raw) {
  for (std::string_view n : kEventIdNames) {
    if (const std::string* v = find_field(raw, n); v && !text::trim_space(*v).empty()) {
      set_event_id_text(raw, *v);
      break;
    }
  }
  raw.provider = first_of(raw, kProviderNames);
  raw.channel = first_of(raw, kChannelNames);
  raw.host = first_of(raw, kHostNames);
  raw.time = first_of(raw, kTimeNames);
  return build(raw);
}

ParseResult parse_json_root(JsonElement root, std::vector<JsonMember>& members) {
  if (!root.is_object()) return error("JSON value is not an object");
  JsonElement rec = root;
  // Splunk JSON export: {"preview": false, "result": {...}}.
  if (const auto res = find_member(root, "result"); res && res->is_object()) rec = *res;
  std::string_view raw_xml;
  if (const auto m = find_member(rec, "_raw"); m && m->get(raw_xml) == simdjson::SUCCESS) {
    const std::string_view x = text::trim_space(raw_xml);
    if (!x.empty() && x.front() == '<') {
      ParseResult r = parse_xml(x);
      // The endpoint named by the XML wins; Splunk's `host` is a fallback.
      if (r.kind == ParseKind::kProcess && r.event.host.empty())
        r.event.host = scalar_at(rec, "host");
      return r;
    }
  }
  if (const auto ev = find_member(rec, "Event"); ev && ev->is_object())
    return parse_evtx_json(*ev, members);
  if (const auto wl = find_member(rec, "winlog"); wl && wl->is_object())
    return parse_winlogbeat(rec, members);
  RawRecord raw;
  add_object_fields(raw, rec, members);
  return build_flat(raw);
}

/// One JSON parser, reused from record to record.
class JsonReader {
 public:
  ParseResult parse(std::string_view text) {
    ParseResult r = read(text);
    if (parser_.capacity() > kKeepCapacity) {  // give back what a huge record took
      parser_ = simdjson::dom::parser{};
      ready_ = false;
    }
    return r;
  }

 private:
  ParseResult read(std::string_view text) {
    if (!ready_) {
      if (parser_.allocate(kInitialCapacity, kMaxDepth) != simdjson::SUCCESS)
        return error("out of memory");
      ready_ = true;
    }
    JsonElement root;
    std::string redone;
    if (parser_.parse(text.data(), text.size()).get(root) != simdjson::SUCCESS) {
      if (too_deep(text)) return error("JSON nested deeper than 256 levels");
      // What nlohmann-json accepts was read before simdjson: read it again.
      const nlohmann::json j = nlohmann::json::parse(text.begin(), text.end(), nullptr, false);
      if (j.is_discarded()) return error("malformed JSON");
      redone = j.dump();
      if (parser_.parse(redone.data(), redone.size()).get(root) != simdjson::SUCCESS)
        return error("malformed JSON");
    }
    return parse_json_root(root, members_);
  }

  simdjson::dom::parser parser_;
  bool ready_ = false;
  std::vector<JsonMember> members_;
};

// ---------------------------------------------------------------------------
// CSV (RFC 4180).

/// Splits one CSV record; false on an unterminated quoted field.
bool split_csv(std::string_view line, std::vector<std::string>& out) {
  out.clear();
  if (!line.empty() && line.back() == '\n') line.remove_suffix(1);
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  std::string cell;
  bool quoted = false;
  bool was_quoted = false;
  for (std::size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (quoted) {
      if (c == '"') {
        if (i + 1 < line.size() && line[i + 1] == '"') {
          cell += '"';
          ++i;
        } else {
          quoted = false;
        }
      } else {
        cell += c;
      }
    } else if (c == ',') {
      out.push_back(std::move(cell));
      cell.clear();
      was_quoted = false;
    } else if (c == '"' && cell.empty() && !was_quoted) {
      quoted = was_quoted = true;
    } else {
      cell += c;  // lenient: a stray quote or text after a closing quote is kept
    }
  }
  if (quoted) return false;
  out.push_back(std::move(cell));
  return true;
}

}  // namespace

std::optional<std::int64_t> time_ms(std::string_view s) {
  auto num = [&](std::size_t pos, std::size_t len) -> int {
    if (pos + len > s.size()) return -1;
    int v = 0;
    for (std::size_t i = pos; i < pos + len; ++i) {
      if (s[i] < '0' || s[i] > '9') return -1;
      v = v * 10 + (s[i] - '0');
    }
    return v;
  };
  const int year = num(0, 4), mon = num(5, 2), day = num(8, 2), hh = num(11, 2), mm = num(14, 2),
            ss = num(17, 2);
  if (year < 0 || mon < 1 || mon > 12 || day < 1 || day > 31 || hh < 0 || hh > 23 || mm < 0 ||
      mm > 59 || ss < 0 || ss > 60 || s[4] != '-' || s[7] != '-' || s[10] != 'T' || s[13] != ':' ||
      s[16] != ':')
    return std::nullopt;
  std::int64_t ms = 0;
  std::size_t i = 19;
  if (i < s.size() && s[i] == '.') {
    int scale = 100;
    for (++i; i < s.size() && s[i] >= '0' && s[i] <= '9'; ++i) {
      ms += (s[i] - '0') * scale;
      scale /= 10;
    }
  }
  if (i != s.size() && !(i + 1 == s.size() && s[i] == 'Z')) return std::nullopt;
  const std::int64_t days =
      days_from_civil(year, static_cast<unsigned>(mon), static_cast<unsigned>(day));
  return ((days * 24 + hh) * 60 + mm) * 60000 + static_cast<std::int64_t>(ss) * 1000 + ms;
}

struct EventReader::Impl {
  std::vector<std::string> columns;
  bool have_header = false;
  std::vector<std::string> cells;  // reused
  JsonReader json;
};

EventReader::EventReader() : impl_(std::make_unique<Impl>()) {}
EventReader::~EventReader() = default;
EventReader::EventReader(EventReader&&) noexcept = default;
EventReader& EventReader::operator=(EventReader&&) noexcept = default;

ParseResult EventReader::parse_line(std::string_view line) {
  if (line.size() > kMaxLine) return error("line longer than 16 MiB");
  const std::string_view t = text::trim_space(strip_bom(line));
  if (t.empty()) return {};
  if (t.front() == '<') return parse_xml(t);
  if (t.front() == '{' || t.front() == '[') return impl_->json.parse(t);
  return error("not an XML or JSON record");
}

bool EventReader::parse_csv_header(std::string_view line, std::string* error_out) {
  auto fail = [&](const char* msg) {
    if (error_out != nullptr) *error_out = msg;
    impl_->have_header = false;
    impl_->columns.clear();
    return false;
  };
  if (line.size() > kMaxLine) return fail("CSV header longer than 16 MiB");
  line = strip_bom(line);
  if (text::trim_space(line).empty()) return fail("empty CSV header");
  if (!split_csv(line, impl_->columns)) return fail("unterminated quoted field in CSV header");
  for (std::string& c : impl_->columns) c = std::string(text::trim_space(c));
  impl_->have_header = true;
  return true;
}

ParseResult EventReader::parse_csv_row(std::string_view line) {
  if (!impl_->have_header) return error("CSV row before a header");
  if (line.size() > kMaxLine) return error("line longer than 16 MiB");
  if (text::trim_space(line).empty()) return {};
  if (!split_csv(line, impl_->cells)) return error("unterminated quoted field in CSV row");
  RawRecord raw;
  const std::size_t n = std::min(impl_->cells.size(), impl_->columns.size());
  for (std::size_t i = 0; i < n; ++i) {
    if (impl_->cells[i].empty()) continue;
    raw.data.emplace_back(impl_->columns[i], std::move(impl_->cells[i]));
  }
  return build_flat(raw);
}

bool EventReader::looks_like_csv_header(std::string_view line) {
  line = text::trim_space(strip_bom(line));
  if (line.empty() || line.front() == '{' || line.front() == '<' || line.front() == '[')
    return false;
  std::vector<std::string> cols;
  if (line.size() > kMaxLine || !split_csv(line, cols)) return false;
  for (const std::string& c : cols) {
    const std::string_view name = text::trim_space(c);
    if (text::iequals(name, "CommandLine") || text::iequals(name, "Image")) return true;
  }
  return false;
}

// The .evtx fast path's entry: the RawRecord parse_xml would make.
ParseResult EventReader::from_fields(std::string_view event_id, std::string_view provider,
                                     std::string_view channel, std::string_view computer,
                                     std::string_view system_time,
                                     std::vector<std::pair<std::string, std::string>> data) {
  RawRecord raw;
  set_event_id_text(raw, event_id);
  raw.provider = provider;
  raw.channel = channel;
  raw.host = computer;
  raw.time = system_time;
  raw.data = std::move(data);
  return build(raw);
}

}  // namespace ioc::events
