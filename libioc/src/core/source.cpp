#include "ioc/core/source.hpp"

namespace ioc {

std::string Source::to_string() const {
  std::string s(name);
  if (line != 0) {
    s += ':';
    s += std::to_string(line);
  }
  return s;
}

}  // namespace ioc
