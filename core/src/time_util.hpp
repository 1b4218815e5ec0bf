// ISO 8601 <-> Unix milliseconds by pure arithmetic. The core has no clock and must not depend on
// the host's time zone database (the wasm build has none), so no <ctime> here.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace phone_handoff {

// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's days_from_civil).
int64_t days_from_civil(int64_t year, unsigned month, unsigned day);

// Parses an ISO 8601 / RFC 3339 date-time: "YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM|±HHMM|±HH)".
// The fraction may have any number of digits (digits past milliseconds are truncated). A zone
// designator is required: a time without one is ambiguous, and guessing would shift the call.
// 'T' may also be 't' or a space (RFC 3339 allows both). Returns nullopt for anything else,
// including date-only text and impossible dates such as February 30.
std::optional<int64_t> parse_iso8601_ms(std::string_view text);

// Formats as "YYYY-MM-DDTHH:MM:SS.sssZ" (UTC, always milliseconds). Years outside 0000-9999 are
// clamped to that range's ends, so the output always has the fixed shape.
std::string format_iso8601_ms(int64_t unix_ms);

// The same characters written to out[0..kIso8601Length) (no terminating NUL), for callers that
// append to a buffer of their own instead of building a string.
constexpr size_t kIso8601Length = 24;
void write_iso8601_ms(int64_t unix_ms, char* out);

}  // namespace phone_handoff
