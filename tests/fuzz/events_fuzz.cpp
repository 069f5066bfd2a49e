// libFuzzer target: the process-creation event readers on arbitrary bytes. The
// first byte picks the mode (one record per parse_line, a CSV header then
// rows split at newlines, or lines through the RecordAssembler — pretty-printed
// and array-wrapped JSON — into parse_line). Nothing may crash or throw, and every result must
// keep its invariants: an error has a message, a process event has a source
// that fits its EventID, an image or a command line, and normalized GUIDs.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "ioc/events/process_event.hpp"
#include "ioc/events/record_assembler.hpp"

namespace {

void check(bool ok) {
  if (!ok) __builtin_trap();
}

void check_result(const ioc::events::ParseResult& r) {
  using ioc::events::ParseKind;
  if (r.kind == ParseKind::kError) {
    check(!r.error.empty());
    return;
  }
  if (r.kind != ParseKind::kProcess) return;
  const auto& e = r.event;
  check((e.event_id == 1 && e.source == "sysmon") ||
        (e.event_id == 4688 && e.source == "security"));
  check(!e.image.empty() || !e.command_line.empty());
  for (const std::string* g : {&e.guid, &e.parent_guid}) {
    for (char c : *g) check(!(c >= 'a' && c <= 'z'));
    check(g->empty() || (g->front() != '{' && g->back() != '}'));
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0 || size > 256 * 1024) return 0;
  const std::uint8_t mode = data[0];
  const std::string_view input(reinterpret_cast<const char*>(data + 1), size - 1);
  ioc::events::EventReader reader;
  if ((mode & 3) == 2) {
    ioc::events::RecordAssembler assembler;
    std::uint64_t n = 0;
    const auto on_record = [&](std::string_view record, std::uint64_t first) {
      check(first >= 1 && first <= n);
      check(record.size() <= ioc::events::RecordAssembler::kMaxRecord);
      check_result(reader.parse_line(record));
    };
    const auto on_error = [&](std::string_view message, std::uint64_t line) {
      check(!message.empty() && line >= 1 && line <= n);
    };
    std::size_t pos = 0;
    while (pos <= input.size()) {
      std::size_t nl = input.find('\n', pos);
      if (nl == std::string_view::npos) nl = input.size();
      assembler.feed(input.substr(pos, nl - pos), ++n, on_record, on_error);
      pos = nl + 1;
    }
    assembler.finish(on_error);
    return 0;
  }
  if ((mode & 1) == 0) {
    check_result(reader.parse_line(input));
    return 0;
  }
  bool header = true;
  std::size_t pos = 0;
  while (pos <= input.size()) {
    std::size_t nl = input.find('\n', pos);
    if (nl == std::string_view::npos) nl = input.size();
    const std::string_view line = input.substr(pos, nl - pos);
    if (header) {
      (void)ioc::events::EventReader::looks_like_csv_header(line);
      std::string error;
      if (!reader.parse_csv_header(line, &error)) check(!error.empty());
      header = false;
    } else {
      check_result(reader.parse_csv_row(line));
    }
    pos = nl + 1;
  }
  return 0;
}
