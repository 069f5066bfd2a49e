// ioc/core/cpu.hpp — which vector instructions the hot loops may use.
//
// The build targets baseline x86-64 (SSE2). Where the CPU (and the OS) has
// AVX2, the byte classifiers of the scanner and the refanger take 32 bytes a
// step instead of 16; both paths give the same bits.
//
//   if (ioc::cpu::avx2()) ...  // asked once, then a load
//   ioc::cpu::use_avx2(false); // tests: the SSE2 path on any machine
#pragma once

namespace ioc::cpu {

/// Whether the AVX2 paths are in use: the CPU has AVX2, and use_avx2(false)
/// did not turn them off.
bool avx2() noexcept;

/// Turns the AVX2 paths off, or back on where the CPU has AVX2 (tests
/// compare the two). Not for use while other threads scan.
void use_avx2(bool on) noexcept;

}  // namespace ioc::cpu
