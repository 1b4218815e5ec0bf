#include <catch2/catch.hpp>

#include "time_util.hpp"

using phone_handoff::days_from_civil;
using phone_handoff::format_iso8601_ms;
using phone_handoff::parse_iso8601_ms;

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
