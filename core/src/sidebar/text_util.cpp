#include "sidebar/text_util.hpp"

#include <cctype>

namespace phone_handoff::sidebar {

bool Pieces::next(std::string_view& piece) {
  if (done_) return false;
  const size_t at = rest_.find(separator_);
  if (at == std::string_view::npos) {
    piece = rest_;
    done_ = true;
  } else {
    piece = rest_.substr(0, at);
    rest_.remove_prefix(at + 1);
  }
  return true;
}

namespace {
constexpr const char* kSpaces = " \t\n\r\f\v";
}  // namespace

std::string trim(std::string_view text) {
  const size_t first = text.find_first_not_of(kSpaces);
  if (first == std::string_view::npos) return "";
  const size_t last = text.find_last_not_of(kSpaces);
  return std::string(text.substr(first, last - first + 1));
}

bool is_blank(std::string_view text) { return text.find_first_not_of(kSpaces) == std::string_view::npos; }

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
