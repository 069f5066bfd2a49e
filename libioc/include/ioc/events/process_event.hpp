// ioc/events/process_event.hpp — process-creation events from the shapes real
// tools write, as one normalized ProcessEvent.
//
//   events::EventReader reader;                       // one per input
//   auto r = reader.parse_line(line);                 // one record (a line)
//   if (r.kind == events::ParseKind::kProcess) use(r.event);
//   else if (r.kind == events::ParseKind::kError) report(r.error);   // kOther: counted, skipped
//
// A record is recognized by its shape:
//  * Splunk XmlWinEventLog / EVTX-as-XML: one `<Event xmlns=...>...</Event>`
//    document per line (pugixml): System/EventID, System/Computer,
//    System/TimeCreated@SystemTime, EventData/Data[@Name].
//  * JSON lines: Splunk JSON export (`_raw` holding the XML above, or extracted
//    fields at the top level or under `result`), Winlogbeat/Elastic ECS
//    (`winlog.event_data.*`, `winlog.event_id`, `host.name`, `process.*`),
//    NXLog / OTRF Security-Datasets (EventData flattened to the top level;
//    `Hostname`, `EventID`, ids sometimes strings), EVTX-to-JSON converters
//    (`Event.System.*` / `Event.EventData.*`).
//  * CSV with a header line (Splunk `| table` exports): columns by name; the
//    caller passes the header first (parse_csv_header) and then each row.
// Field names are mapped by a table (events.cpp), not by code per source:
// Sysmon EventID 1 (Image, CommandLine, ParentImage, ParentCommandLine,
// ProcessGuid, ParentProcessGuid, ProcessId, ParentProcessId, User,
// IntegrityLevel, LogonId, Hashes, UtcTime) and Security 4688 (NewProcessName,
// CommandLine, ParentProcessName, NewProcessId and ProcessId in hex,
// SubjectUserName/TargetUserName, MandatoryLabel). Other events are kOther.
// Corrupt records are kError with a message; nesting and sizes are bounded.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace ioc::events {

struct ProcessEvent {
  std::string host;         ///< the endpoint (Computer / Hostname / host.name), not a collector
  std::string time;         ///< UTC, ISO 8601 "2017-08-22T23:21:35.219Z" (as precise as the source)
  std::string guid;         ///< ProcessGuid without braces, upper case; "" when absent
  std::uint64_t pid = 0;    ///< 0 when absent
  std::string parent_guid;  ///< as guid
  std::uint64_t ppid = 0;
  std::string image;         ///< full path as logged
  std::string command_line;  ///< as logged
  std::string parent_image;
  std::string parent_command_line;
  std::string user;
  std::string integrity_level;
  std::string logon_id;
  std::string hashes;
  int event_id = 0;    ///< 1 (Sysmon) or 4688 (Security)
  std::string source;  ///< "sysmon" or "security"
  /// Every EventData field of the record as logged (name, value), for rules
  /// that test fields the members above do not hold (OriginalFileName,
  /// CurrentDirectory, Description, ParentUser, ...): in record order for XML,
  /// EVTX and CSV; for JSON in byte order of the keys, a duplicated key keeping
  /// its last value. Empty for ECS records without winlog.event_data.
  std::vector<std::pair<std::string, std::string>> fields;
};

/// Milliseconds since 1970 of a time in ProcessEvent::time's form
/// ("2017-08-22T23:21:35.219Z", fraction optional); nullopt for other text.
std::optional<std::int64_t> time_ms(std::string_view iso);

enum class ParseKind {
  kProcess,  ///< a process-creation event: `event` is filled
  kOther,    ///< a well-formed event of another kind (counted, skipped)
  kError,    ///< not a record we can read: `error` says why
};

struct ParseResult {
  ParseKind kind = ParseKind::kOther;
  ProcessEvent event;
  std::string error;
};

class EventReader {
 public:
  EventReader();
  ~EventReader();
  EventReader(EventReader&&) noexcept;
  EventReader& operator=(EventReader&&) noexcept;

  /// One line of XML or JSON. Empty lines are kOther.
  ParseResult parse_line(std::string_view line);
  /// CSV: the header line (column names), then parse_csv_row for each row.
  bool parse_csv_header(std::string_view line, std::string* error);
  ParseResult parse_csv_row(std::string_view line);
  /// True when `line` looks like a CSV header with process-creation columns
  /// (it holds "CommandLine" or "Image" among comma-separated names).
  static bool looks_like_csv_header(std::string_view line);
  /// An EVTX record already taken apart (the .evtx fast path, evtx.cpp): the
  /// texts parse_line reads from its XML (System/EventID, Provider@Name,
  /// Channel, Computer, TimeCreated@SystemTime; "" when absent) and the
  /// EventData Data[@Name] pairs in record order. Gives what parse_line gives
  /// for that XML.
  static ParseResult from_fields(std::string_view event_id, std::string_view provider,
                                 std::string_view channel, std::string_view computer,
                                 std::string_view system_time,
                                 std::vector<std::pair<std::string, std::string>> data);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace ioc::events
