// Small string helpers the sidebar readers share (ASCII-only case folding: labels are English).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "digits.hpp"

namespace phone_handoff::sidebar {

// The pieces of `text` between separators, one at a time, without copying or a vector:
//   Pieces lines(text, '\n');
//   for (std::string_view line; lines.next(line);) …
// "a,,b" gives "a", "", "b"; "" gives one empty piece; "a," gives "a" and "".
class Pieces {
 public:
  Pieces(std::string_view text, char separator) : rest_(text), separator_(separator) {}
  bool next(std::string_view& piece);

 private:
  std::string_view rest_;
  char separator_;
  bool done_ = false;
};

// Times and sequence numbers in the sidebar's texts: at most 9 digits, so a value fits comfortably
// before scaling (e.g. seconds to ms). Read with parse_digits (digits.hpp).
constexpr size_t kSmallNumberDigits = 9;
std::string trim(std::string_view text);
// Nothing but spaces, tabs and line breaks (or nothing at all).
bool is_blank(std::string_view text);
std::string to_lower(std::string_view text);
bool starts_with(std::string_view text, std::string_view prefix);
// Only http(s) URLs become links in the sidebar; anything else (javascript:, data:, …) is dropped.
bool is_http_url(std::string_view text);

}  // namespace phone_handoff::sidebar
