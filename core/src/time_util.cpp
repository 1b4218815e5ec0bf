#include "time_util.hpp"

#include "digits.hpp"

namespace phone_handoff {
namespace {

constexpr int64_t kMsPerDay = 86400000;
// The formatter's range, years 0000-9999: 0000-01-01T00:00:00.000Z and 9999-12-31T23:59:59.999Z.
constexpr int64_t kLowestMs = -62167219200000, kHighestMs = 253402300799999;

bool is_leap(int64_t y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

unsigned days_in_month(int64_t y, unsigned m) {
  static const unsigned days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && is_leap(y) ? 29 : days[m - 1];
}

struct Civil { int64_t year; unsigned month, day; };

// Inverse of days_from_civil (Howard Hinnant's civil_from_days).
Civil civil_from_days(int64_t z) {
  z += 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int64_t y = static_cast<int64_t>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned d = doy - (153 * mp + 2) / 5 + 1;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  return {m <= 2 ? y + 1 : y, m, d};
}

// Reads exactly `count` decimal digits at `pos`, advancing it.
bool read_digits(std::string_view s, size_t& pos, size_t count, int64_t& value) {
  if (pos + count > s.size()) return false;
  const auto digits = parse_digits(s.substr(pos, count), count);
  if (!digits) return false;
  value = *digits;
  pos += count;
  return true;
}

bool expect(std::string_view s, size_t& pos, char c) {
  if (pos >= s.size() || s[pos] != c) return false;
  ++pos;
  return true;
}

}  // namespace

int64_t days_from_civil(int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

std::optional<int64_t> parse_iso8601_ms(std::string_view s) {
  size_t pos = 0;
  int64_t year, month, day, hour, minute, second;
  if (!read_digits(s, pos, 4, year) || !expect(s, pos, '-') || !read_digits(s, pos, 2, month) ||
      !expect(s, pos, '-') || !read_digits(s, pos, 2, day))
    return std::nullopt;
  if (pos >= s.size() || (s[pos] != 'T' && s[pos] != 't' && s[pos] != ' ')) return std::nullopt;
  ++pos;
  if (!read_digits(s, pos, 2, hour) || !expect(s, pos, ':') || !read_digits(s, pos, 2, minute) ||
      !expect(s, pos, ':') || !read_digits(s, pos, 2, second))
    return std::nullopt;
  if (month < 1 || month > 12 || day < 1 ||
      day > days_in_month(year, static_cast<unsigned>(month)) || hour > 23 || minute > 59 ||
      second > 60)  // 60: a leap second, folded into the next second like most systems do
    return std::nullopt;

  int64_t millis = 0;
  if (pos < s.size() && (s[pos] == '.' || s[pos] == ',')) {
    ++pos;
    size_t digits = 0;
    while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') {
      if (digits < 3) millis = millis * 10 + (s[pos] - '0');
      ++digits;
      ++pos;
    }
    if (digits == 0) return std::nullopt;
    for (size_t d = digits; d < 3; ++d) millis *= 10;
  }

  int64_t offset_minutes = 0;
  if (pos >= s.size()) return std::nullopt;  // no zone designator
  if (s[pos] == 'Z' || s[pos] == 'z') {
    ++pos;
  } else if (s[pos] == '+' || s[pos] == '-') {
    const int64_t sign = s[pos] == '-' ? -1 : 1;
    ++pos;
    int64_t oh = 0, om = 0;
    if (!read_digits(s, pos, 2, oh)) return std::nullopt;
    if (pos < s.size()) {
      if (s[pos] == ':') ++pos;
      if (!read_digits(s, pos, 2, om)) return std::nullopt;
    }
    if (oh > 23 || om > 59) return std::nullopt;
    offset_minutes = sign * (oh * 60 + om);
  } else {
    return std::nullopt;
  }
  if (pos != s.size()) return std::nullopt;

  const int64_t days = days_from_civil(year, static_cast<unsigned>(month), static_cast<unsigned>(day));
  const int64_t local_ms = days * kMsPerDay + ((hour * 60 + minute) * 60 + second) * 1000 + millis;
  return local_ms - offset_minutes * 60000;
}

void write_iso8601_ms(int64_t unix_ms, char* out) {
  if (unix_ms < kLowestMs) unix_ms = kLowestMs;
  if (unix_ms > kHighestMs) unix_ms = kHighestMs;
  // Floor division, so times before 1970 land on the right day.
  int64_t days = unix_ms / kMsPerDay;
  int64_t in_day = unix_ms % kMsPerDay;
  if (in_day < 0) {
    in_day += kMsPerDay;
    --days;
  }
  const Civil c = civil_from_days(days);
  // Every field is in range after the clamp, so each has exactly its width: the digits are
  // written in place (this runs for every turn that has a time; printf's parsing cost more).
  const auto put = [&out](size_t at, size_t width, uint32_t value) {
    for (size_t i = at + width; i > at; value /= 10) out[--i] = static_cast<char>('0' + value % 10);
  };
  const uint32_t ms_of_day = static_cast<uint32_t>(in_day);
  put(0, 4, static_cast<uint32_t>(c.year));
  out[4] = '-';
  put(5, 2, c.month);
  out[7] = '-';
  put(8, 2, c.day);
  out[10] = 'T';
  put(11, 2, ms_of_day / 3600000);
  out[13] = ':';
  put(14, 2, ms_of_day / 60000 % 60);
  out[16] = ':';
  put(17, 2, ms_of_day / 1000 % 60);
  out[19] = '.';
  put(20, 3, ms_of_day % 1000);
  out[23] = 'Z';
}

std::string format_iso8601_ms(int64_t unix_ms) {
  std::string text(kIso8601Length, '\0');
  write_iso8601_ms(unix_ms, &text[0]);
  return text;
}

}  // namespace phone_handoff
