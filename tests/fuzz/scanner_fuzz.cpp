// libFuzzer target: the IOC scanner on arbitrary bytes, with every type and the
// options chosen by the first byte, must not crash and must keep its
// invariants: spans inside the input and in order, canonical values that the
// validators accept again unchanged. With bit 6 of the first byte, the baseline
// paths must find what the AVX2 and POPCNT ones found (ioc/core/cpu.hpp).
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "ioc/core/cpu.hpp"
#include "ioc/ioc/filter.hpp"
#include "ioc/ioc/refang.hpp"
#include "ioc/ioc/scanner.hpp"
#include "ioc/ioc/validate.hpp"
#include "scan_fuzz_options.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace ioc::scan;
  using ioc::fuzz::check;
  std::uint8_t flags;
  std::string_view input;
  if (!ioc::fuzz::flags_and_text(data, size, 256 * 1024, flags, input)) return 0;
  const ScanOptions opt = ioc::fuzz::scan_options_from(flags, all_types());
  std::vector<Hit> hits = scan_text(input, opt);
  if ((flags & 64) != 0) {
    ioc::cpu::use_extensions(false);
    const std::vector<Hit> sse2 = scan_text(input, opt);
    ioc::cpu::use_extensions(true);
    check(sse2.size() == hits.size());
    for (std::size_t k = 0; k < hits.size(); ++k)
      check(sse2[k].type == hits[k].type && sse2[k].value == hits[k].value &&
            sse2[k].begin == hits[k].begin && sse2[k].end == hits[k].end &&
            sse2[k].defanged == hits[k].defanged);
  }
  std::size_t last = 0;
  for (const Hit& h : hits) {
    check(h.begin <= h.end && h.end <= input.size());
    check(h.begin >= last);
    last = h.begin;
    check(!h.value.empty());
    switch (h.type) {
      case Type::kIpv4: check(canonical_ipv4(h.value) == h.value); break;
      case Type::kIpv6: check(canonical_ipv6(h.value) == h.value); break;
      case Type::kIpv4Cidr: check(is_ipv4_cidr(h.value)); break;
      case Type::kIpv6Cidr: check(is_ipv6_cidr(h.value)); break;
      case Type::kDomain:
        if (!opt.unicode) check(canonical_domain(h.value, {.tld_check = opt.tld_check}) == h.value);
        break;
      case Type::kMd5:
      case Type::kSha1:
      case Type::kSha256:
      case Type::kSha512: check(hash_type_of(h.value) == h.type); break;
      case Type::kMac: check(canonical_mac(h.value) == h.value); break;
      case Type::kUrl:
        check(h.value.find("://") != std::string::npos);
        (void)url_host(h.value);
        break;
      case Type::kEmail: check(h.value.find('@') != std::string::npos); break;
      default: break;
    }
    (void)defang(h.type, h.value);
    (void)is_special_address(h.type, h.value);
  }
  return 0;
}
