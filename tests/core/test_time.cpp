#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdio>
#include <limits>
#include <random>
#include <string>

#include "time_util.hpp"

using phone_handoff::days_from_civil;
using phone_handoff::format_iso8601_ms;
using phone_handoff::parse_iso8601_ms;
using phone_handoff::write_iso8601_ms;

namespace {

constexpr int64_t kMsPerDay = 86400000;

// The formatter's definition, written the slow and obvious way: clamp to years 0000-9999, find
// the date by searching days_from_civil (not by its inverse, which the formatter uses), print
// with printf as the formatter once did.
std::string printf_iso8601(int64_t unix_ms) {
  const int64_t lowest = days_from_civil(0, 1, 1) * kMsPerDay;
  const int64_t highest = days_from_civil(10000, 1, 1) * kMsPerDay - 1;
  unix_ms = std::min(std::max(unix_ms, lowest), highest);
  int64_t days = unix_ms / kMsPerDay, in_day = unix_ms % kMsPerDay;
  if (in_day < 0) {
    in_day += kMsPerDay;
    --days;
  }
  int64_t year = 0, last = 9999;  // the last year starting on or before `days`
  while (year < last) {
    const int64_t middle = (year + last + 1) / 2;
    if (days_from_civil(middle, 1, 1) <= days) year = middle;
    else last = middle - 1;
  }
  unsigned month = 12;
  while (days_from_civil(year, month, 1) > days) --month;
  const int64_t day = days - days_from_civil(year, month, 1) + 1;
  char text[64];
  std::snprintf(text, sizeof text, "%04lld-%02u-%02lldT%02lld:%02lld:%02lld.%03lldZ",
                static_cast<long long>(year), month, static_cast<long long>(day),
                static_cast<long long>(in_day / 3600000), static_cast<long long>(in_day / 60000 % 60),
                static_cast<long long>(in_day / 1000 % 60), static_cast<long long>(in_day % 1000));
  return text;
}

}  // namespace

TEST_CASE("days_from_civil counts from the Unix epoch, across leap years and before 1970", "[ingest]") {
  CHECK(days_from_civil(1970, 1, 1) == 0);
  CHECK(days_from_civil(2000, 3, 1) == 11017);
  CHECK(days_from_civil(2026, 1, 1) == 20454);
  CHECK(days_from_civil(1969, 12, 31) == -1);
}

TEST_CASE("ISO 8601 parses with Z, offsets and fractions of any length", "[ingest]") {
  const int64_t base = 1767225662000;  // 2026-01-01T00:01:02Z
  CHECK(parse_iso8601_ms("2026-01-01T00:01:02Z") == base);
  CHECK(parse_iso8601_ms("2026-01-01T00:01:02.000Z") == base);
  CHECK(parse_iso8601_ms("2026-01-01T00:01:02.5Z") == base + 500);
  CHECK(parse_iso8601_ms("2026-01-01T00:01:02.123456789Z") == base + 123);
  CHECK(parse_iso8601_ms("2026-01-01T00:01:02+00:00") == base);
  CHECK(parse_iso8601_ms("2026-01-01T00:01:02.000000-05:00") == base + 5 * 3600000);
  CHECK(parse_iso8601_ms("2026-01-01T05:31:02+0530") == base);
  CHECK(parse_iso8601_ms("2026-01-01T01:01:02+01") == base);
  CHECK(parse_iso8601_ms("2026-01-01 00:01:02z") == base);
  CHECK(parse_iso8601_ms("2024-02-29T00:00:00Z") == days_from_civil(2024, 2, 29) * 86400000);
}

TEST_CASE("ISO 8601 parsing rejects anything that is not a zoned date-time", "[ingest]") {
  for (const char* bad : {"", "2026-01-01", "2026-01-01T00:01:02", "2026-01-01T00:01Z",
                          "2026-13-01T00:00:00Z", "2025-02-29T00:00:00Z", "2026-01-01T24:00:00Z",
                          "2026-01-01T00:00:00.Z", "2026-01-01T00:00:00Zjunk", "1767225662000",
                          "2026-01-01T00:00:00+5", "2026-1-01T00:00:00Z", "yesterday"}) {
    INFO(bad);
    CHECK_FALSE(parse_iso8601_ms(bad).has_value());
  }
}

TEST_CASE("ISO 8601 formatting is UTC with milliseconds and round-trips", "[ingest]") {
  CHECK(format_iso8601_ms(0) == "1970-01-01T00:00:00.000Z");
  CHECK(format_iso8601_ms(1767225662042) == "2026-01-01T00:01:02.042Z");
  CHECK(format_iso8601_ms(-1) == "1969-12-31T23:59:59.999Z");
  for (int64_t ms : {int64_t(0), int64_t(951782400000), int64_t(1767225662042), int64_t(-86400001)})
    CHECK(parse_iso8601_ms(format_iso8601_ms(ms)) == ms);
  CHECK(format_iso8601_ms(INT64_MAX) == "9999-12-31T23:59:59.999Z");
}

TEST_CASE("ISO 8601 formatting at the edges: epoch, range ends, leap days, clamped extremes", "[ingest]") {
  const int64_t lowest = days_from_civil(0, 1, 1) * kMsPerDay;
  const int64_t highest = days_from_civil(10000, 1, 1) * kMsPerDay - 1;
  CHECK(format_iso8601_ms(lowest) == "0000-01-01T00:00:00.000Z");
  CHECK(format_iso8601_ms(lowest - 1) == "0000-01-01T00:00:00.000Z");
  CHECK(format_iso8601_ms(std::numeric_limits<int64_t>::min()) == "0000-01-01T00:00:00.000Z");
  CHECK(format_iso8601_ms(highest) == "9999-12-31T23:59:59.999Z");
  CHECK(format_iso8601_ms(highest + 1) == "9999-12-31T23:59:59.999Z");
  CHECK(format_iso8601_ms(days_from_civil(1970, 1, 1) * kMsPerDay + 86399999) == "1970-01-01T23:59:59.999Z");
  CHECK(format_iso8601_ms(days_from_civil(2024, 2, 29) * kMsPerDay + 45296789) == "2024-02-29T12:34:56.789Z");
  CHECK(format_iso8601_ms(days_from_civil(2000, 2, 29) * kMsPerDay) == "2000-02-29T00:00:00.000Z");
  CHECK(format_iso8601_ms(days_from_civil(0, 2, 29) * kMsPerDay) == "0000-02-29T00:00:00.000Z");
  CHECK(format_iso8601_ms(days_from_civil(1900, 3, 1) * kMsPerDay - 1) == "1900-02-28T23:59:59.999Z");
  CHECK(format_iso8601_ms(days_from_civil(1900, 3, 1) * kMsPerDay) == "1900-03-01T00:00:00.000Z");
  CHECK(format_iso8601_ms(days_from_civil(9999, 12, 31) * kMsPerDay) == "9999-12-31T00:00:00.000Z");

  char buffer[phone_handoff::kIso8601Length + 1] = {};
  buffer[phone_handoff::kIso8601Length] = '#';  // written exactly up to its length, no NUL
  write_iso8601_ms(1767225662042, buffer);
  CHECK(std::string(buffer, phone_handoff::kIso8601Length + 1) == "2026-01-01T00:01:02.042Z#");
}

TEST_CASE("ISO 8601 formatting writes what the printf definition writes, across the whole range", "[ingest]") {
  const int64_t lowest = days_from_civil(0, 1, 1) * kMsPerDay;
  const int64_t highest = days_from_civil(10000, 1, 1) * kMsPerDay - 1;
  std::mt19937_64 random(20261124);
  std::uniform_int_distribution<int64_t> in_range(lowest - kMsPerDay, highest + kMsPerDay);
  std::uniform_int_distribution<int64_t> near_now(0, days_from_civil(2100, 1, 1) * kMsPerDay);
  for (int i = 0; i < 3000; ++i) {
    for (const int64_t ms : {in_range(random), near_now(random), static_cast<int64_t>(random())}) {
      INFO(ms);
      REQUIRE(format_iso8601_ms(ms) == printf_iso8601(ms));
    }
  }
  // Every day boundary of four years around a leap day, one ms either side.
  for (int64_t day = days_from_civil(2023, 1, 1); day < days_from_civil(2027, 1, 1); ++day)
    for (const int64_t ms : {day * kMsPerDay - 1, day * kMsPerDay}) REQUIRE(format_iso8601_ms(ms) == printf_iso8601(ms));
}
