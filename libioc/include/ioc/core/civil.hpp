// ioc/core/civil.hpp — days since 1970-01-01 to and from a proleptic Gregorian
// date (H. Hinnant's algorithms), for the places that write and read UTC
// timestamps without the C library's time-zone machinery.
//
//   core::days_from_civil(2017, 8, 22)           -> 17400
//   core::civil_from_days(17400, y, m, d)        -> 2017, 8, 22
#pragma once

#include <cstdint>

namespace ioc::core {

/// Days since 1970-01-01 of year-month-day (month 1..12, day 1..31).
constexpr std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d) noexcept {
  y -= m <= 2 ? 1 : 0;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

/// The date of day `z` since 1970-01-01.
constexpr void civil_from_days(std::int64_t z, std::int64_t& y, unsigned& m, unsigned& d) noexcept {
  z += 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const auto doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  d = doy - (153 * mp + 2) / 5 + 1;
  m = mp < 10 ? mp + 3 : mp - 9;
  y = static_cast<std::int64_t>(yoe) + era * 400 + (m <= 2 ? 1 : 0);
}

static_assert(days_from_civil(1970, 1, 1) == 0);
static_assert(days_from_civil(2017, 8, 22) == 17400);

}  // namespace ioc::core
