// Reading a run of ASCII digits as a number: timestamps in signature headers, times and sequence
// numbers in the sidebar's transcript table, ISO-8601 fields. One definition, inline, so the slim
// sidebar module gets it without pulling in any other object file.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

namespace phone_handoff {

// Digits only (no sign, no spaces), at least one and at most `max_digits` so the value stays far
// from overflow (never pass more than 18).
inline std::optional<int64_t> parse_digits(std::string_view text, std::size_t max_digits) {
  if (text.empty() || text.size() > max_digits) return std::nullopt;
  int64_t value = 0;
  for (const char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    value = value * 10 + (c - '0');
  }
  return value;
}

}  // namespace phone_handoff
