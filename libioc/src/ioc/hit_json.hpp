// JSON text of iocgrep's hits, written by RapidJSON's streaming writer
// (internal to the ioc module).
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace ioc::scan {

struct HitFields {
  std::string_view type;
  std::string_view value;
  std::string_view raw;
  bool defanged = false;
  std::string_view source;
  std::uint64_t line = 0;
  std::uint64_t offset = 0;
  std::string_view decoded_from;  ///< written only when not empty
};

/// {"type":…,"value":…,"raw":…,"defanged":…,"source":…,"line":…,"offset":…} + '\n'
void append_hit_jsonl(std::string& out, const HitFields& hit);
/// {"type":…,"count":…} + '\n'
void append_count_jsonl(std::string& out, std::string_view type, std::uint64_t count);
/// One object: each type (in the given order) -> its values, as one line + '\n'.
void append_type_map_json(std::string& out,
                          const std::vector<std::pair<std::string, std::vector<std::string>>>& map);

}  // namespace ioc::scan
