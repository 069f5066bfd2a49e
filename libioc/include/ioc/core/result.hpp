// ioc/core/result.hpp — errors as values.
//
// Every libioc function that can fail on its input returns ioc::Result<T>:
// either a T or an ioc::Error {code, message, offset}. libioc never throws for
// bad data; only std::bad_alloc and programmer errors escape as exceptions.
//
//   ioc::Result<std::string> r = ioc::codec::decode_base64(text);
//   if (!r) { std::cerr << r.error().message << " at " << r.error().offset; }
//   else    { use(*r); }
//
// Result is shaped like C++23 std::expected (has_value, value, error,
// operator bool, operator*, operator->) so it can become an alias later.
// IOC_TRY(expr) returns the error of a failed Result from the enclosing
// function; IOC_ASSIGN_OR_RETURN(lhs, expr) also binds the value.
#pragma once

#include <cstddef>
#include <limits>
#include <string>
#include <utility>
#include <variant>

namespace ioc {

/// What went wrong, for callers that branch on it.
enum class ErrorCode {
  kInvalidInput,   ///< the input is not in the expected format
  kTruncated,      ///< the input ends in the middle of a unit (odd byte, partial stream)
  kLimitExceeded,  ///< a limit of core/limits.hpp was reached (size, depth, ratio)
  kUnsupported,    ///< valid input that this library does not handle
  kNotFound,       ///< a named thing (operation, recipe, field) does not exist
  kUsage,          ///< bad arguments from the caller (unknown option value, ...)
  kIo,             ///< reading or writing failed (open, read, write)
};

/// A short lower-case name for a code ("invalid input", "limit exceeded", ...).
const char* error_code_name(ErrorCode code) noexcept;

/// An error value. `offset` is the byte offset in the input where the problem
/// was found, or kNoOffset when it does not apply.
struct Error {
  static constexpr std::size_t kNoOffset = std::numeric_limits<std::size_t>::max();

  ErrorCode code = ErrorCode::kInvalidInput;
  std::string message;
  std::size_t offset = kNoOffset;

  bool has_offset() const noexcept { return offset != kNoOffset; }
  /// "message at offset N" or just "message".
  std::string describe() const;
};

/// Tag type wrapping an Error so that Result<Error> would still be unambiguous.
struct Unexpected {
  Error error;
};

inline Unexpected make_error(ErrorCode code, std::string message,
                             std::size_t offset = Error::kNoOffset) {
  return Unexpected{Error{code, std::move(message), offset}};
}

template <typename T>
class [[nodiscard]] Result {
 public:
  Result(const T& value) : v_(value) {}             // NOLINT: implicit by design
  Result(T&& value) : v_(std::move(value)) {}       // NOLINT
  Result(Unexpected u) : v_(std::move(u.error)) {}  // NOLINT
  Result(Error e) : v_(std::move(e)) {}             // NOLINT

  bool has_value() const noexcept { return v_.index() == 0; }
  explicit operator bool() const noexcept { return has_value(); }

  T& value() & { return std::get<0>(v_); }
  const T& value() const& { return std::get<0>(v_); }
  T&& value() && { return std::get<0>(std::move(v_)); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T&& operator*() && { return std::move(*this).value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

  const Error& error() const& { return std::get<1>(v_); }
  Error&& error() && { return std::get<1>(std::move(v_)); }

 private:
  std::variant<T, Error> v_;
};

/// Result<void>: success or an Error.
template <>
class [[nodiscard]] Result<void> {
 public:
  Result() = default;
  Result(Unexpected u) : err_(std::move(u.error)), ok_(false) {}  // NOLINT
  Result(Error e) : err_(std::move(e)), ok_(false) {}             // NOLINT

  bool has_value() const noexcept { return ok_; }
  explicit operator bool() const noexcept { return ok_; }
  const Error& error() const& { return err_; }
  Error&& error() && { return std::move(err_); }

 private:
  Error err_;
  bool ok_ = true;
};

}  // namespace ioc

#define IOC_CONCAT_INNER_(a, b) a##b
#define IOC_CONCAT_(a, b) IOC_CONCAT_INNER_(a, b)

/// Evaluate `expr` (a Result); if it holds an error, return that error.
#define IOC_TRY(expr)                                                \
  do {                                                               \
    auto&& ioc_try_result_ = (expr);                                 \
    if (!ioc_try_result_) return std::move(ioc_try_result_).error(); \
  } while (0)

/// `lhs = *expr` when `expr` succeeds; otherwise return its error.
#define IOC_ASSIGN_OR_RETURN(lhs, expr)                                                            \
  auto IOC_CONCAT_(ioc_tmp_, __LINE__) = (expr);                                                   \
  if (!IOC_CONCAT_(ioc_tmp_, __LINE__)) return std::move(IOC_CONCAT_(ioc_tmp_, __LINE__)).error(); \
  lhs = std::move(*IOC_CONCAT_(ioc_tmp_, __LINE__))
