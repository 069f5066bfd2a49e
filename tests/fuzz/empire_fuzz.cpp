// libFuzzer target: the stager parsers (Empire launchers and cookies, other
// frameworks' scripts and shellcode) on arbitrary bytes must not crash, must
// stay bounded, and must keep their documented invariants.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "ioc/stager/empire.hpp"
#include "ioc/stager/frameworks.hpp"

namespace {

void check(bool ok) {
  if (!ok) __builtin_trap();
}

bool known_variant(const std::string& v) {
  return v == "2.0" || v == "2.2-2.4" || v == "2.5-dev" || v == "bc-3.x-5.x" || v == "6.3+";
}

void check_match(const ioc::stager::FrameworkMatch& m) {
  check(m.confidence >= 0 && m.confidence <= 1);
  check(m.urls.size() <= 64 && m.hosts.size() <= 64 && m.ports.size() <= 64);
  for (const auto& p : m.ports) {
    check(!p.empty() && p.size() <= 5);
    check(std::stoul(p) <= 65535);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > 64 * 1024) return 0;
  const std::string_view input(reinterpret_cast<const char*>(data), size);

  // The whole input as a launcher.
  if (auto cfg = ioc::stager::parse_empire_stager(input)) {
    check(known_variant(cfg->variant));
    check(cfg->confidence > 0 && cfg->confidence <= 1);
    if (cfg->cookie_decoded) {
      check(!cfg->session_cookie.empty());
      check(cfg->cookie_decoded->session_id.size() == 8);
      check(cfg->variant != "6.3+");
    }
    check(cfg->server_encoding.empty() || cfg->server_encoding == "plain" ||
          cfg->server_encoding == "base64_utf16le");
    check(cfg->proxy.mode == "default" || cfg->proxy.mode == "none" ||
          cfg->proxy.mode == "explicit");
    check(cfg->bypasses.size() <= 3);
  }

  // Cookie and key: split at the first newline.
  const std::size_t nl = input.find('\n');
  const std::string_view cookie = input.substr(0, nl);
  const std::string_view key =
      nl == std::string_view::npos ? std::string_view() : input.substr(nl + 1);
  if (auto c = ioc::stager::decrypt_empire_cookie(cookie, key)) {
    check(c->session_id.size() == 8);
    check(c->language >= 0 && c->language <= 255 && c->meta >= 0 && c->meta <= 255);
    check(c->additional >= 0 && c->additional <= 0xffff);
    check(!c->verified || (c->session_id == "00000000" && c->language == 1 && c->meta == 1));
  } else {
    check(c.error().code == ioc::ErrorCode::kInvalidInput);
  }

  // Frameworks: the input and its halves as scripts and binaries.
  const std::vector<std::string_view> scripts = {input, input.substr(0, size / 2)};
  const std::vector<std::string_view> binaries = {input.substr(size / 2), input};
  if (auto m = ioc::stager::detect_framework(scripts, binaries)) {
    check(m->name == "metasploit" || m->name == "cobaltstrike" || m->name == "covenant");
    check(!m->variant.empty());
    check(!m->evidence.empty());
    check_match(*m);
  }
  check_match(ioc::stager::shellcode_fields(input));
  return 0;
}
