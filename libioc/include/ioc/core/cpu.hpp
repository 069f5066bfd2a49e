// ioc/core/cpu.hpp — which instructions beyond SSE2 the hot loops may use.
//
// The build targets baseline x86-64 (SSE2). Where the CPU (and the OS) has
// them, the byte classifiers of the scanner and the refanger take 32 bytes a
// step with AVX2, and bit counts take one POPCNT; both paths give the same
// results.
//
//   if (ioc::cpu::avx2()) ...         // a load: asked once, at start-up
//   ioc::cpu::use_extensions(false);  // tests: the baseline paths on any machine
#pragma once

namespace ioc::cpu {

namespace detail {
extern bool g_avx2, g_popcnt;
}  // namespace detail

/// Whether the AVX2 paths are in use.
inline bool avx2() noexcept {
  return detail::g_avx2;
}

/// Whether bit counts use the POPCNT instruction.
inline bool popcnt() noexcept {
  return detail::g_popcnt;
}

/// Turns the paths beyond SSE2 off, or back on where the CPU has them (tests
/// compare the two). Not for use while other threads scan.
void use_extensions(bool on) noexcept;

}  // namespace ioc::cpu
