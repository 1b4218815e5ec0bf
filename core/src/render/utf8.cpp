#include "render/utf8.hpp"

#include <cstdint>
#include <cstring>

namespace phone_handoff::render {
namespace {

constexpr std::string_view kEllipsis = "\xE2\x80\xA6";   // "…": 3 bytes, 1 unit

// Length in bytes of the sequence starting with `lead` (1 for invalid or stray bytes).
size_t sequence_length(unsigned char lead) {
  if (lead >= 0xF0 && lead <= 0xF4) return 4;
  if (lead >= 0xE0) return lead <= 0xEF ? 3 : 1;
  if (lead >= 0xC2) return 2;
  return 1;
}

bool is_continuation(unsigned char c) { return (c & 0xC0) == 0x80; }

// The length of the code point at `i`: its lead byte's length when all continuation bytes are
// present, else 1 (the stray byte alone).
size_t code_point_at(std::string_view text, size_t i) {
  const size_t n = sequence_length(static_cast<unsigned char>(text[i]));
  if (i + n > text.size()) return 1;
  for (size_t k = 1; k < n; ++k)
    if (!is_continuation(static_cast<unsigned char>(text[i + k]))) return 1;
  return n;
}

// The code point at `i` (U+FFFD for a stray byte).
char32_t decode_at(std::string_view text, size_t i) {
  const size_t n = code_point_at(text, i);
  const auto lead = static_cast<unsigned char>(text[i]);
  if (n == 1) return lead < 0x80 ? lead : 0xFFFD;
  char32_t cp = lead & (n == 2 ? 0x1F : n == 3 ? 0x0F : 0x07);
  for (size_t k = 1; k < n; ++k) cp = (cp << 6) | (static_cast<unsigned char>(text[i + k]) & 0x3F);
  return cp;
}

// Code points that attach to the one before them.
bool attaches_to_previous(char32_t cp) {
  return (cp >= 0x0300 && cp <= 0x036F) || (cp >= 0x1AB0 && cp <= 0x1AFF) || (cp >= 0x1DC0 && cp <= 0x1DFF) ||
         (cp >= 0x20D0 && cp <= 0x20FF) || (cp >= 0xFE20 && cp <= 0xFE2F) || cp == 0x200C || cp == 0x200D ||
         (cp >= 0xFE00 && cp <= 0xFE0F) || (cp >= 0x1F3FB && cp <= 0x1F3FF) || (cp >= 0xE0020 && cp <= 0xE007F) ||
         (cp >= 0xE0100 && cp <= 0xE01EF);
}

// The start of the code point that ends just before `i` (i > 0).
size_t previous_start(std::string_view text, size_t i) {
  size_t j = i - 1;
  while (j > 0 && i - j < 4 && is_continuation(static_cast<unsigned char>(text[j]))) --j;
  return code_point_at(text, j) == i - j ? j : i - 1;
}

}  // namespace

size_t cluster_safe_cut(std::string_view text, size_t cut) {
  constexpr int kMaxBackOff = 16;   // longer clusters exist only in contrived text
  size_t at = cut;
  for (int step = 0; step < kMaxBackOff && at > 0 && at < text.size(); ++step) {
    const size_t before = previous_start(text, at);
    const bool joined = attaches_to_previous(decode_at(text, at)) || decode_at(text, before) == 0x200D;
    if (!joined) return at;
    at = before;
  }
  return cut;
}

size_t text_units(std::string_view text) {
  size_t units = 0;
  for (size_t i = 0; i < text.size();) {
    if (i + 8 <= text.size()) {   // eight ASCII bytes at once: most of any transcript
      uint64_t word;
      std::memcpy(&word, text.data() + i, sizeof word);
      if ((word & 0x8080808080808080u) == 0) {
        units += 8;
        i += 8;
        continue;
      }
    }
    if (static_cast<unsigned char>(text[i]) < 0x80) {
      ++units;
      ++i;
      continue;
    }
    const size_t n = code_point_at(text, i);
    units += n == 4 ? 2 : 1;
    i += n;
  }
  return units;
}

size_t prefix_bytes_within(std::string_view text, size_t max_units) {
  size_t units = 0, i = 0;
  while (i < text.size()) {
    const size_t n = static_cast<unsigned char>(text[i]) < 0x80 ? 1 : code_point_at(text, i);
    const size_t u = n == 4 ? 2 : 1;
    if (units + u > max_units) break;
    units += u;
    i += n;
  }
  return i;
}

std::string truncate_units(std::string_view text, size_t max_units) {
  if (text_units(text) <= max_units) return std::string(text);
  if (max_units == 0) return "";
  std::string out(text.substr(0, prefix_bytes_within(text, max_units - 1)));
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return out + std::string(kEllipsis);
}

std::string truncate_bytes(std::string_view text, size_t max_bytes) {
  if (text.size() <= max_bytes) return std::string(text);
  if (max_bytes < kEllipsis.size()) return "";
  size_t keep = 0;
  for (size_t i = 0; i < text.size();) {
    const size_t n = code_point_at(text, i);
    if (i + n > max_bytes - kEllipsis.size()) break;
    i += n;
    keep = i;
  }
  return std::string(text.substr(0, keep)) + std::string(kEllipsis);
}

std::optional<size_t> one_line_units(std::string_view text) {
  if (!text.empty() && (text.front() == ' ' || text.back() == ' ')) return std::nullopt;
  constexpr uint64_t ones = 0x0101010101010101u, highs = 0x8080808080808080u, lows = 0x7F7F7F7F7F7F7F7Fu;
  size_t units = 0, i = 0;
  char previous = 0;
  while (i < text.size()) {
    if (i + 8 <= text.size()) {
      uint64_t word;
      std::memcpy(&word, text.data() + i, sizeof word);
      if ((word & highs) == 0) {   // eight ASCII bytes: none below 0x20, none 0x7F, no two spaces side by side; eight units
        // With no byte ≥ 0x80 the borrows of these differences mark exactly the bytes below 0x20
        // and DEL (the lowest such byte sets its high bit; with none, no high bit is set).
        if (((word - ones * 0x20) | ((word ^ (ones * 0x7F)) - ones)) & highs) return std::nullopt;
        const uint64_t blank = word ^ (ones * ' ');
        const uint64_t spaces = ~(((blank & lows) + lows) | blank | lows);   // 0x80 in the space bytes
        if ((spaces & (spaces << 8)) || (previous == ' ' && text[i] == ' ')) return std::nullopt;
        units += 8;
        previous = text[i + 7];
        i += 8;
        continue;
      }
    }
    const auto u = static_cast<unsigned char>(text[i]);
    if (u < 0x80) {
      if (u < 0x20 || u == 0x7F || (u == ' ' && previous == ' ')) return std::nullopt;
      ++units;
      previous = text[i++];
      continue;
    }
    const size_t n = code_point_at(text, i);
    units += n == 4 ? 2 : 1;
    i += n;
    previous = text[i - 1];   // ≥ 0x80: neither a space nor a control character
  }
  return units;
}

bool is_one_line(std::string_view text) { return one_line_units(text).has_value(); }

std::string one_line(std::string_view text) {
  if (is_one_line(text)) return std::string(text);
  std::string out;
  out.reserve(text.size());
  bool pending_space = false;
  for (char c : text) {
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u == 0x7F || c == ' ') {
      pending_space = !out.empty();
      continue;
    }
    if (pending_space) out += ' ';
    pending_space = false;
    out += c;
  }
  return out;
}

}  // namespace phone_handoff::render
