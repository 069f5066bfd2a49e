#include "ioc/core/version.hpp"

namespace ioc {

const char* version() noexcept {
  return IOC_VERSION;
}

}  // namespace ioc
