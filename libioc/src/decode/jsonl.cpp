// psdecode's JSON record, written by RapidJSON's streaming writer: the one
// definition of its keys (to_json parses it). nlohmann's serializer measured at
// about a third of psdecode's time on launcher command lines.
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "io/json_string.hpp"
#include "ioc/decode/report.hpp"
#include "ioc/recipe/parse.hpp"

namespace ioc::decode {
namespace {

using Writer = rapidjson::Writer<rapidjson::StringBuffer>;

class Json {
 public:
  explicit Json(Writer& w) : w_(w) {}

  void key(std::string_view k) { w_.Key(k.data(), static_cast<rapidjson::SizeType>(k.size())); }
  void str(std::string_view s) { io::detail::write_json_string(w_, s); }
  void kv(std::string_view k, std::string_view v) {
    key(k);
    str(v);
  }
  void kv(std::string_view k, bool v) {
    key(k);
    w_.Bool(v);
  }
  void kv_num(std::string_view k, std::uint64_t v) {
    key(k);
    w_.Uint64(v);
  }
  void kv_int(std::string_view k, std::int64_t v) {
    key(k);
    w_.Int64(v);
  }
  void kv_double(std::string_view k, double v) {
    key(k);
    w_.Double(v);
  }
  void strings(std::string_view k, const std::vector<std::string>& v) {
    key(k);
    w_.StartArray();
    for (const auto& s : v) str(s);
    w_.EndArray();
  }
  void null(std::string_view k) {
    key(k);
    w_.Null();
  }
  Writer& w() { return w_; }

 private:
  Writer& w_;
};

void powershell_args(Json& j, const cmdline::PowerShellArgs& a) {
  j.w().StartObject();
  j.kv("executable", a.executable);
  if (a.has_encoded_command) j.kv("encoded_command", true);
  if (a.has_command) j.kv("command", true);
  if (!a.file.empty()) j.kv("file", a.file);
  for (auto [name, on] : {std::pair{"noprofile", a.noprofile},
                          {"noninteractive", a.noninteractive},
                          {"nologo", a.nologo},
                          {"noexit", a.noexit},
                          {"sta", a.sta},
                          {"mta", a.mta}})
    if (on) j.kv(name, true);
  for (auto [name, value] :
       {std::pair<const char*, const std::string*>{"window_style", &a.window_style},
        {"execution_policy", &a.execution_policy},
        {"version", &a.version},
        {"input_format", &a.input_format},
        {"output_format", &a.output_format},
        {"configuration_name", &a.configuration_name},
        {"encoded_arguments", &a.encoded_arguments}})
    if (!value->empty()) j.kv(name, *value);
  if (!a.unknown.empty()) j.strings("unknown", a.unknown);
  j.w().EndObject();
}

std::string cyberchef_of(const std::string& recipe_text) {
  auto r = recipe::parse_recipe(recipe_text);
  if (!r) return "";
  auto chef = recipe::to_cyberchef_compact(*r);
  return chef ? *chef : "";
}

}  // namespace

std::string to_jsonl_line(const Peeled& p, std::string_view source, bool explain) {
  rapidjson::StringBuffer sb;
  Writer w(sb);
  Json j(w);
  w.StartObject();
  j.kv("source", source);
  j.kv("input_kind", p.input_kind);
  j.strings("wrappers", p.wrappers);
  j.key("powershell_args");
  if (p.powershell_args) {
    powershell_args(j, *p.powershell_args);
  } else {
    w.StartObject();
    w.EndObject();
  }
  j.key("layers");
  w.StartArray();
  for (const Layer& l : p.layers) {
    w.StartObject();
    j.kv("op", l.op);
    j.kv("encoding", l.encoding);
    j.key("span");
    w.StartArray();
    w.Uint64(l.begin);
    w.Uint64(l.end);
    w.EndArray();
    j.kv("ok", l.ok);
    j.kv_num("parent", l.parent);
    j.kv("executed", l.executed);
    j.kv("recipe", l.recipe);
    if (explain) j.kv("cyberchef", l.op == "fold" ? std::string() : cyberchef_of(l.recipe));
    if (!l.ok) j.kv("error", l.error);
    w.EndObject();
  }
  w.EndArray();
  j.kv("decoded", p.decoded);
  j.kv("deobfuscated", p.deobfuscated);
  j.key("artifacts");
  w.StartArray();
  for (const Artifact& a : p.artifacts) {
    w.StartObject();
    j.kv("kind", a.kind);
    j.kv_num("size", a.size);
    j.kv("sha256", a.sha256);
    j.kv("prefix_hex", a.prefix_hex);
    j.kv_num("layer", a.layer);
    w.EndObject();
  }
  w.EndArray();
  j.strings("unresolved", p.unresolved);
  j.strings("warnings", p.warnings);
  j.key("framework");
  w.StartObject();
  j.kv("name", p.framework.name);
  j.kv("variant", p.framework.variant);
  j.kv_double("confidence", p.framework.confidence);
  if (p.other) {
    j.strings("urls", p.other->urls);
    j.strings("hosts", p.other->hosts);
    j.strings("ports", p.other->ports);
    j.strings("user_agents", p.other->user_agents);
    j.strings("evidence", p.other->evidence);
  }
  w.EndObject();
  if (p.empire) {
    const auto& e = *p.empire;
    j.key("empire");
    w.StartObject();
    j.kv("variant", e.variant);
    j.kv_double("confidence", e.confidence);
    j.kv("ua", e.ua);
    j.kv("server", e.server);
    j.kv("server_encoding", e.server_encoding);
    j.strings("uris", e.uris);
    j.kv("staging_key", e.staging_key);
    j.kv("cookie_name", e.cookie_name);
    j.kv("session_cookie", e.session_cookie);
    if (e.cookie_decoded) {
      const auto& c = *e.cookie_decoded;
      j.key("cookie_decoded");
      w.StartObject();
      j.kv("session_id", c.session_id);
      j.kv_int("language", c.language);
      j.kv_int("meta", c.meta);
      j.kv_int("additional", c.additional);
      j.kv_num("length", c.length);
      j.kv("verified", c.verified);
      w.EndObject();
    } else {
      j.null("cookie_decoded");
    }
    j.key("proxy");
    w.StartObject();
    j.kv("mode", e.proxy.mode);
    j.kv("url", e.proxy.url);
    j.kv("creds", e.proxy.creds);
    w.EndObject();
    j.strings("bypasses", e.bypasses);
    j.kv("tls_validation_disabled", e.tls_validation_disabled);
    j.strings("custom_headers", e.custom_headers);
    w.EndObject();
  } else {
    j.null("empire");
  }
  if (p.registry_payload) {
    j.key("registry_payload");
    w.StartObject();
    j.kv("key", p.registry_payload->key);
    j.kv("value", p.registry_payload->value);
    j.kv("encoding", p.registry_payload->encoding);
    w.EndObject();
  } else {
    j.null("registry_payload");
  }
  if (p.persistence) {
    const auto& q = *p.persistence;
    j.key("persistence");
    w.StartObject();
    j.kv("mechanism", q.mechanism);
    j.kv("task_name", q.task_name);
    j.kv("schedule", q.schedule);
    j.kv("start_time", q.start_time);
    j.kv("run_as", q.run_as);
    j.kv("key", q.key);
    j.kv("value_name", q.value_name);
    w.EndObject();
  } else {
    j.null("persistence");
  }
  j.key("iocs");
  w.StartArray();
  for (const Ioc& i : p.iocs) {
    w.StartObject();
    j.kv("type", i.type);
    j.kv("value", i.value);
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
  return std::string(sb.GetString(), sb.GetSize());
}

}  // namespace ioc::decode
