#include "ioc/io/parallel.hpp"

#include <algorithm>
#include <thread>

namespace ioc::io {

unsigned default_jobs() noexcept {
  const unsigned n = std::thread::hardware_concurrency();
  return std::clamp(n, 1u, 8u);
}

}  // namespace ioc::io
