#include "decode/iocs.hpp"

#include "ioc/ioc/filter.hpp"
#include "ioc/ioc/scanner.hpp"
#include "ioc/ioc/validate.hpp"

namespace ioc::decode {
namespace {

class Collector {
 public:
  explicit Collector(std::vector<Ioc>& out) : out_(out) {}
  void add(std::string type, std::string value) {
    if (value.empty()) return;
    for (const Ioc& i : out_)
      if (i.type == type && i.value == value) return;
    out_.push_back({std::move(type), std::move(value)});
  }
  // A host from a parsed field, in iocgrep's canonical forms.
  void host(std::string_view h) {
    if (h.empty()) return;
    if (auto v4 = scan::canonical_ipv4(h))
      add("ipv4", *v4);
    else if (auto v6 = scan::canonical_ipv6(h))
      add("ipv6", *v6);
    else if (auto d = scan::canonical_domain(h, {.tld_check = false}))
      add("domain", *d);
  }
  void url(const std::string& u) {
    add("url", u);
    host(scan::url_host(u));
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
    for (const auto& h : out.other->hosts) c.host(h);
    for (const auto& ua : out.other->user_agents) c.add("user_agent", ua);
  }
  // Every decoded layer through iocgrep's scanner (same types and canonical
  // forms): download cradles, hosts, hashes, paths the parsers do not model.
  thread_local scan::Scanner scanner([] {
    scan::ScanOptions o;
    o.types = scan::all_types();
    return o;
  }());
  std::vector<scan::Hit> hits;
  const auto scan_text = [&](std::string_view text) {
    hits.clear();
    scanner.scan(text, hits);
    for (const scan::Hit& h : hits) c.add(std::string(scan::type_name(h.type)), h.value);
  };
  // The constant-folded script first: its strings are whole ("'ht'+'tp://...'").
  if (!out.deobfuscated.empty()) scan_text(out.deobfuscated);
  for (const Layer& l : out.layers) {
    if (!l.ok || l.text.empty() || l.op == "unescape" || l.op == "fold") continue;
    scan_text(l.text);
  }
  if (out.registry_payload) c.add("registry", out.registry_payload->key);
  if (out.persistence && !out.persistence->key.empty()) c.add("registry", out.persistence->key);
}

}  // namespace ioc::decode
