#include "ioc/hit_json.hpp"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "io/json_string.hpp"

namespace ioc::scan {
namespace {

using Writer = rapidjson::Writer<rapidjson::StringBuffer>;

void str(Writer& w, std::string_view s) {
  io::detail::write_json_string(w, s);
}

void key(Writer& w, std::string_view k) {
  w.Key(k.data(), static_cast<rapidjson::SizeType>(k.size()));
}

thread_local rapidjson::StringBuffer buffer;

}  // namespace

void append_hit_jsonl(std::string& out, const HitFields& h) {
  buffer.Clear();
  Writer w(buffer);
  w.StartObject();
  key(w, "type");
  str(w, h.type);
  key(w, "value");
  str(w, h.value);
  key(w, "raw");
  str(w, h.raw);
  key(w, "defanged");
  w.Bool(h.defanged);
  key(w, "source");
  str(w, h.source);
  key(w, "line");
  w.Uint64(h.line);
  key(w, "offset");
  w.Uint64(h.offset);
  if (!h.decoded_from.empty()) {
    key(w, "decoded_from");
    str(w, h.decoded_from);
  }
  w.EndObject();
  out.append(buffer.GetString(), buffer.GetSize());
  out += '\n';
}

void append_count_jsonl(std::string& out, std::string_view type, std::uint64_t count) {
  buffer.Clear();
  Writer w(buffer);
  w.StartObject();
  key(w, "type");
  str(w, type);
  key(w, "count");
  w.Uint64(count);
  w.EndObject();
  out.append(buffer.GetString(), buffer.GetSize());
  out += '\n';
}

void append_type_map_json(
    std::string& out, const std::vector<std::pair<std::string, std::vector<std::string>>>& map) {
  buffer.Clear();
  Writer w(buffer);
  w.StartObject();
  for (const auto& [type, values] : map) {
    key(w, type);
    w.StartArray();
    for (const auto& v : values) str(w, v);
    w.EndArray();
  }
  w.EndObject();
  out.append(buffer.GetString(), buffer.GetSize());
  out += '\n';
}

}  // namespace ioc::scan
