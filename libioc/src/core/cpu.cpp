#include "ioc/core/cpu.hpp"

namespace ioc::cpu {
namespace {

struct Features {
  bool avx2 = false, popcnt = false;
};

Features detect() noexcept {
  Features f;
#if defined(__x86_64__) && defined(__GNUC__)
  __builtin_cpu_init();  // (may run before libgcc's own constructor)
  f.avx2 = __builtin_cpu_supports("avx2");
  f.popcnt = __builtin_cpu_supports("popcnt");
#endif
  return f;
}

const Features kCpu = detect();

}  // namespace

namespace detail {
bool g_avx2 = kCpu.avx2;
bool g_popcnt = kCpu.popcnt;
}  // namespace detail

void use_extensions(bool on) noexcept {
  detail::g_avx2 = on && kCpu.avx2;
  detail::g_popcnt = on && kCpu.popcnt;
}

}  // namespace ioc::cpu
