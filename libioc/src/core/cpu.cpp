#include "ioc/core/cpu.hpp"

namespace ioc::cpu {
namespace {

bool cpu_has_avx2() noexcept {
#if defined(__x86_64__) && defined(__GNUC__)
  __builtin_cpu_init();  // (may run before libgcc's own constructor)
  return __builtin_cpu_supports("avx2");
#else
  return false;
#endif
}

const bool kCpuAvx2 = cpu_has_avx2();
bool in_use = kCpuAvx2;

}  // namespace

bool avx2() noexcept {
  return in_use;
}

void use_avx2(bool on) noexcept {
  in_use = on && kCpuAvx2;
}

}  // namespace ioc::cpu
