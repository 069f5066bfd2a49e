#include <catch2/catch.hpp>

#include <memory>
#include <string>

#include "ioc/core/result.hpp"

using namespace ioc;

namespace {

Result<int> parse_digit(char c) {
  if (c < '0' || c > '9') return make_error(ErrorCode::kInvalidInput, "not a digit", 0);
  return c - '0';
}

Result<int> sum_digits(const std::string& s) {
  int total = 0;
  for (char c : s) {
    IOC_ASSIGN_OR_RETURN(int d, parse_digit(c));
    total += d;
  }
  return total;
}

Result<void> check_all_digits(const std::string& s) {
  for (char c : s) IOC_TRY(parse_digit(c));
  return {};
}

}  // namespace

TEST_CASE("Result: value or error", "[core][result]") {
  Result<int> ok = 42;
  REQUIRE(ok);
  CHECK(ok.has_value());
  CHECK(*ok == 42);
  Result<int> bad = make_error(ErrorCode::kTruncated, "short", 7);
  REQUIRE_FALSE(bad);
  CHECK(bad.error().code == ErrorCode::kTruncated);
  CHECK(bad.error().offset == 7);
  CHECK(bad.error().describe() == "short at offset 7");
  Result<int> no_offset = make_error(ErrorCode::kIo, "gone");
  CHECK_FALSE(no_offset.error().has_offset());
  CHECK(no_offset.error().describe() == "gone");
}

TEST_CASE("Result: move-only values", "[core][result]") {
  Result<std::unique_ptr<int>> p = std::make_unique<int>(5);
  REQUIRE(p);
  std::unique_ptr<int> taken = std::move(p).value();
  CHECK(*taken == 5);
}

TEST_CASE("IOC_TRY and IOC_ASSIGN_OR_RETURN propagate the first error", "[core][result]") {
  auto good = sum_digits("123");
  REQUIRE(good);
  CHECK(*good == 6);
  auto bad = sum_digits("12x4");
  REQUIRE_FALSE(bad);
  CHECK(bad.error().message == "not a digit");
  CHECK(check_all_digits("987"));
  CHECK_FALSE(check_all_digits("9a"));
}

TEST_CASE("error_code_name", "[core][result]") {
  CHECK(std::string(error_code_name(ErrorCode::kLimitExceeded)) == "limit exceeded");
  CHECK(std::string(error_code_name(ErrorCode::kInvalidInput)) == "invalid input");
}
