// sigma::EventFields: a ProcessEvent seen through Sigma (Sysmon EventID 1)
// field names, so Security 4688 and ECS records match the same rules.
#include <array>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "ioc/sigma/rules.hpp"
#include "ioc/text/ascii.hpp"

namespace ioc::sigma {
namespace {

using text::iequals;

/// The value of KEY in "MD5=..,SHA256=..,IMPHASH=.." (case-insensitive key).
std::optional<std::string_view> hash_part(std::string_view hashes, std::string_view key) {
  while (!hashes.empty()) {
    const std::size_t comma = hashes.find(',');
    std::string_view part = hashes.substr(0, comma);
    hashes = comma == std::string_view::npos ? std::string_view{} : hashes.substr(comma + 1);
    part = text::trim_space(part);
    const std::size_t eq = part.find('=');
    if (eq == std::string_view::npos) continue;
    if (iequals(text::trim_space(part.substr(0, eq)), key))
      return text::trim_space(part.substr(eq + 1));
  }
  return std::nullopt;
}

}  // namespace

EventFields::EventFields(const events::ProcessEvent& event) : e_(event) {
  if (event.pid != 0) pid_ = std::to_string(event.pid);
  if (event.ppid != 0) ppid_ = std::to_string(event.ppid);
}

std::optional<std::string_view> EventFields::field(std::string_view name) const {
  auto logged = [this](std::string_view n) -> std::optional<std::string_view> {
    for (const auto& kv : e_.fields)
      if (iequals(kv.first, n)) return std::string_view(kv.second);
    return std::nullopt;
  };
  // A normalized member when it holds a value; else the field as logged.
  const std::string* member = nullptr;
  bool logged_first = false;  // ids and times: the logged form when there is one
  if (iequals(name, "Image"))
    member = &e_.image;
  else if (iequals(name, "CommandLine"))
    member = &e_.command_line;
  else if (iequals(name, "ParentImage"))
    member = &e_.parent_image;
  else if (iequals(name, "ParentCommandLine"))
    member = &e_.parent_command_line;
  else if (iequals(name, "User"))
    member = &e_.user;
  else if (iequals(name, "IntegrityLevel"))
    member = &e_.integrity_level;
  else if (iequals(name, "LogonId"))
    member = &e_.logon_id;
  else if (iequals(name, "Hashes"))
    member = &e_.hashes;
  else if (iequals(name, "Computer"))
    member = &e_.host;
  else if (iequals(name, "ProcessId"))
    member = &pid_;
  else if (iequals(name, "ParentProcessId"))
    member = &ppid_;
  else if (iequals(name, "ProcessGuid"))
    member = &e_.guid, logged_first = true;
  else if (iequals(name, "ParentProcessGuid"))
    member = &e_.parent_guid, logged_first = true;
  else if (iequals(name, "UtcTime"))
    member = &e_.time, logged_first = true;
  if (member != nullptr) {
    // 4688's ProcessId is the parent's (hex): never show it as the child's.
    if (logged_first && e_.source != "security") {
      if (auto v = logged(name)) return v;
    }
    if (!member->empty()) return std::string_view(*member);
    if (e_.source == "security" && (iequals(name, "ProcessId") || iequals(name, "ParentProcessId")))
      return std::nullopt;
    return logged(name);
  }
  for (std::string_view h : {"md5", "sha1", "sha256", "imphash"}) {
    if (!iequals(name, h)) continue;
    if (auto v = logged(name)) return v;
    if (auto v = hash_part(e_.hashes, h)) return v;
    return std::nullopt;
  }
  return logged(name);
}

void EventFields::for_each_value(void (*fn)(void* ctx, std::string_view value), void* ctx) const {
  for (const std::string* m :
       {&e_.image, &e_.command_line, &e_.parent_image, &e_.parent_command_line, &e_.user,
        &e_.integrity_level, &e_.logon_id, &e_.hashes, &e_.host})
    if (!m->empty()) fn(ctx, *m);
  for (const auto& kv : e_.fields) fn(ctx, kv.second);
}

}  // namespace ioc::sigma
