#include "sidebar/text_util.hpp"

#include <cctype>

namespace phone_handoff::sidebar {

std::vector<std::string_view> split(std::string_view text, char separator) {
  std::vector<std::string_view> parts;
  size_t start = 0;
  for (;;) {
    const size_t at = text.find(separator, start);
    if (at == std::string_view::npos) {
      parts.push_back(text.substr(start));
      return parts;
    }
    parts.push_back(text.substr(start, at - start));
    start = at + 1;
  }
}

std::string trim(std::string_view text) {
  const char* spaces = " \t\n\r\f\v";
  const size_t first = text.find_first_not_of(spaces);
  if (first == std::string_view::npos) return "";
  const size_t last = text.find_last_not_of(spaces);
  return std::string(text.substr(first, last - first + 1));
}

std::string to_lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

bool starts_with(std::string_view text, std::string_view prefix) {
  return text.substr(0, prefix.size()) == prefix;
}

bool is_http_url(std::string_view text) {
  const std::string lowered = to_lower(text.substr(0, 8));
  const size_t scheme = starts_with(lowered, "https://") ? 8 : starts_with(lowered, "http://") ? 7 : 0;
  if (scheme == 0 || text.size() <= scheme) return false;
  for (char c : text) {
    const auto u = static_cast<unsigned char>(c);
    if (u <= 0x20 || u == 0x7F || c == '"' || c == '<' || c == '>' || c == '\\') return false;
  }
  return true;
}

}  // namespace phone_handoff::sidebar
