// A string into a RapidJSON writer, with ill-formed UTF-8 repaired to U+FFFD so
// that the line always parses (internal: psdecode's and iocgrep's JSON lines).
#pragma once

#include <string>
#include <string_view>

#include <rapidjson/rapidjson.h>

#include "ioc/codec/charset.hpp"

namespace ioc::io::detail {

template <typename Writer>
void write_json_string(Writer& w, std::string_view s) {
  if (codec::is_valid_utf8(s)) {
    w.String(s.data(), static_cast<rapidjson::SizeType>(s.size()));
  } else {
    const std::string fixed = codec::repair_utf8(s);
    w.String(fixed.data(), static_cast<rapidjson::SizeType>(fixed.size()));
  }
}

}  // namespace ioc::io::detail
