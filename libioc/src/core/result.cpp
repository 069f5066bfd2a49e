#include "ioc/core/result.hpp"

namespace ioc {

const char* error_code_name(ErrorCode code) noexcept {
  switch (code) {
    case ErrorCode::kInvalidInput: return "invalid input";
    case ErrorCode::kTruncated: return "truncated input";
    case ErrorCode::kLimitExceeded: return "limit exceeded";
    case ErrorCode::kUnsupported: return "unsupported";
    case ErrorCode::kNotFound: return "not found";
    case ErrorCode::kUsage: return "usage error";
    case ErrorCode::kIo: return "I/O error";
  }
  return "error";
}

std::string Error::describe() const {
  if (!has_offset()) return message;
  return message + " at offset " + std::to_string(offset);
}

}  // namespace ioc
