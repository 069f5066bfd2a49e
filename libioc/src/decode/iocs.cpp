#include "decode/iocs.hpp"

#include <algorithm>
#include <cctype>

#include "ioc/text/regex.hpp"

namespace ioc::decode {
namespace {

bool is_ipv4(std::string_view h) {
  int parts = 0;
  std::size_t i = 0;
  while (i <= h.size()) {
    std::size_t j = i;
    int value = 0;
    while (j < h.size() && std::isdigit(static_cast<unsigned char>(h[j])) && j - i < 3)
      value = value * 10 + (h[j++] - '0');
    if (j == i || value > 255) return false;
    ++parts;
    if (j == h.size()) return parts == 4;
    if (h[j] != '.') return false;
    i = j + 1;
  }
  return false;
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// The host of "scheme://[user@]host[:port]/...", lower-cased; "" when not a URL.
std::string url_host(std::string_view url) {
  const std::size_t scheme = url.find("://");
  if (scheme == std::string_view::npos) return "";
  std::string_view rest = url.substr(scheme + 3);
  rest = rest.substr(0, rest.find_first_of("/?#"));
  if (const std::size_t at = rest.rfind('@'); at != std::string_view::npos)
    rest = rest.substr(at + 1);
  if (!rest.empty() && rest.front() == '[') return lower(rest.substr(1, rest.find(']') - 1));
  return lower(rest.substr(0, rest.find(':')));
}

class Collector {
 public:
  explicit Collector(std::vector<Ioc>& out) : out_(out) {}
  void add(std::string type, std::string value) {
    if (value.empty()) return;
    for (const Ioc& i : out_)
      if (i.type == type && i.value == value) return;
    out_.push_back({std::move(type), std::move(value)});
  }
  void host(const std::string& h) {
    if (h.empty()) return;
    if (is_ipv4(h))
      add("ipv4", h);
    else if (h.find(':') != std::string::npos)
      add("ipv6", h);
    else if (h.find('.') != std::string::npos)
      add("domain", h);
  }
  void url(const std::string& u) {
    add("url", u);
    host(url_host(u));
  }

 private:
  std::vector<Ioc>& out_;
};

}  // namespace

void collect_iocs(Peeled& out) {
  Collector c(out.iocs);
  if (out.empire) {
    const auto& e = *out.empire;
    c.url(e.server);
    for (const auto& u : e.uris) c.add("uri", u);
    c.add("user_agent", e.ua);
    c.add("session_key", e.staging_key);
    c.add("session_key", e.session_cookie);
    if (e.proxy.mode == "explicit") c.url(e.proxy.url);
  }
  if (out.other) {
    for (const auto& u : out.other->urls) c.url(u);
    for (const auto& h : out.other->hosts) c.host(lower(h));
    for (const auto& ua : out.other->user_agents) c.add("user_agent", ua);
  }
  // URLs written out in decoded text (download cradles, cmdlets).
  thread_local const auto url_re =
      text::Regex::compile(R"(\b(?:https?|ftp)://[A-Za-z0-9.\-\[\]:@]+(?:/[^\s'"<>(){}\\]*)?)",
                           {.case_insensitive = true});
  for (const Layer& l : out.layers) {
    if (!l.ok || l.text.empty() || l.op == "unescape") continue;
    if (l.text.find("://") == std::string::npos) continue;
    for (std::string_view u : url_re->find_all(l.text, 0, 64)) {
      while (!u.empty() && (u.back() == '.' || u.back() == ',' || u.back() == ';'))
        u.remove_suffix(1);
      c.url(std::string(u));
    }
  }
  if (out.registry_payload) c.add("registry", out.registry_payload->key);
  if (out.persistence && !out.persistence->key.empty()) c.add("registry", out.persistence->key);
}

}  // namespace ioc::decode
