#include "json/writer.hpp"

#include <charconv>
#include <cstring>

namespace phone_handoff {
namespace {

// The UTF-8 sequence starting at s[i] (a byte >= 0x80) as nlohmann's decoder reads it: the whole
// sequence when it is well-formed; otherwise the bytes the decoder takes before it rejects (the
// lead and the continuation bytes that still fit, at least one), which its "replace" error
// handler turns into one U+FFFD before it reads the rejected byte again. Well-formed means what
// that decoder accepts: no stray continuation byte, overlong form, surrogate, code point beyond
// U+10FFFF or sequence cut short.
struct Utf8Sequence {
  size_t length;
  bool well_formed;
};

Utf8Sequence read_utf8_sequence(std::string_view s, size_t i) {
  const auto lead = static_cast<unsigned char>(s[i]);
  size_t needed = 0;
  unsigned lo = 0x80, hi = 0xBF;  // the range of the next byte
  if (lead >= 0xC2 && lead <= 0xDF) {
    needed = 2;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    needed = 3;
    if (lead == 0xE0) lo = 0xA0;
    if (lead == 0xED) hi = 0x9F;
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    needed = 4;
    if (lead == 0xF0) lo = 0x90;
    if (lead == 0xF4) hi = 0x8F;
  } else {
    return {1, false};
  }
  size_t length = 1;
  for (; length < needed && i + length < s.size(); ++length) {
    const auto next = static_cast<unsigned char>(s[i + length]);
    if (next < lo || next > hi) break;
    lo = 0x80;
    hi = 0xBF;
  }
  return {length, length == needed};
}

// How many of the 8 bytes at the start of `word` (in memory order) need no look of their own:
// not below 0x20, not a quote or backslash, not ≥ 0x80. Plain ASCII text (most of any
// transcript) is skipped at a few instructions per 8 bytes, and a word with one such byte is
// skipped up to it (not byte by byte).
// The high bits mark those bytes without the usual "& ~v" of the zero-byte test, and the lowest
// mark is exact: no borrow reaches the first byte that needs a look from the plain bytes below
// it, and its own subtraction (b - 0x20 for b below 0x20, 0 - 1 for a quote or backslash) or the
// byte itself (≥ 0x80) sets its high bit; with no such byte every difference stays below 0x80.
// Marks above the first may be false, which does not matter: the walk stops at the first.
size_t plain_prefix(uint64_t word) {
  constexpr uint64_t ones = 0x0101010101010101u, highs = 0x8080808080808080u;
  const uint64_t marks = ((word - ones * 0x20) | ((word ^ (ones * '"')) - ones) | ((word ^ (ones * '\\')) - ones) | word) & highs;
  if (marks == 0) return 8;
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
  return static_cast<size_t>(__builtin_ctzll(marks)) / 8;   // the first byte in memory is the lowest
#else
  return 0;
#endif
}

void append_escape(std::string& out, unsigned char c) {
  switch (c) {
    case '"': out += "\\\""; return;
    case '\\': out += "\\\\"; return;
    case '\b': out += "\\b"; return;
    case '\t': out += "\\t"; return;
    case '\n': out += "\\n"; return;
    case '\f': out += "\\f"; return;
    case '\r': out += "\\r"; return;
    default: {
      static const char hex[] = "0123456789abcdef";
      const char escaped[] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 0xF]};
      out.append(escaped, sizeof escaped);
    }
  }
}

}  // namespace

void append_json_string(std::string& out, std::string_view s) {
  out.push_back('"');
  size_t copied = 0;  // s[0, copied) is already in `out`
  for (size_t i = 0; i < s.size();) {
    if (i + 8 <= s.size()) {
      uint64_t word;
      std::memcpy(&word, s.data() + i, sizeof word);
      const size_t plain = plain_prefix(word);
      i += plain;
      if (plain == 8) continue;
    }
    const auto c = static_cast<unsigned char>(s[i]);
    if (c >= 0x80) {
      const Utf8Sequence sequence = read_utf8_sequence(s, i);
      if (!sequence.well_formed) {
        // As nlohmann's dump with error_handler_t::replace: one U+FFFD for what was read.
        out.append(s.data() + copied, i - copied);
        out += "\xEF\xBF\xBD";
        copied = i + sequence.length;
      }
      i += sequence.length;
    } else if (c < 0x20 || c == '"' || c == '\\') {
      out.append(s.data() + copied, i - copied);
      append_escape(out, c);
      copied = ++i;
    } else {
      ++i;
    }
  }
  out.append(s.data() + copied, s.size() - copied);
  out.push_back('"');
}

std::string json_string(std::string_view text) {
  std::string out;
  out.reserve(text.size() + 2);
  append_json_string(out, text);
  return out;
}

void JsonWriter::before_value() {
  if (after_key_) {
    after_key_ = false;
    return;
  }
  if (empty_.empty()) return;  // the top-level value
  if (!empty_.back()) text_.push_back(',');
  empty_.back() = false;
}

JsonWriter& JsonWriter::open(char bracket) {
  before_value();
  text_.push_back(bracket);
  empty_.push_back(true);
  return *this;
}

JsonWriter& JsonWriter::close(char bracket) {
  text_.push_back(bracket);
  empty_.pop_back();
  return *this;
}

JsonWriter& JsonWriter::key(std::string_view name) {
  before_value();
  append_json_string(text_, name);
  text_.push_back(':');
  after_key_ = true;
  return *this;
}

JsonWriter& JsonWriter::value(std::string_view text) {
  before_value();
  append_json_string(text_, text);
  return *this;
}

JsonWriter& JsonWriter::value(bool flag) {
  before_value();
  text_ += flag ? "true" : "false";
  return *this;
}

JsonWriter& JsonWriter::value(double number) {
  before_value();
  // Shortest round-trip digits (Grisu2, "1.0" for whole numbers, null for NaN/inf): nlohmann's
  // own formatting, so doubles read from payloads come back exactly as dump() writes them.
  text_ += nlohmann::json(number).dump();
  return *this;
}

template <class Integer>
JsonWriter& JsonWriter::integer(Integer number) {
  before_value();
  char digits[24];
  const auto end = std::to_chars(digits, digits + sizeof digits, number).ptr;
  text_.append(digits, static_cast<size_t>(end - digits));
  return *this;
}
template JsonWriter& JsonWriter::integer(int64_t);
template JsonWriter& JsonWriter::integer(uint64_t);

JsonWriter& JsonWriter::null() {
  before_value();
  text_ += "null";
  return *this;
}

JsonWriter& JsonWriter::raw(std::string_view json_text) {
  before_value();
  text_ += json_text;
  return *this;
}

template <class BasicJson>
void JsonWriter::dom(const BasicJson& v) {
  switch (v.type()) {
    case nlohmann::json::value_t::object:
      begin_object();
      for (auto member = v.begin(); member != v.end(); ++member) {
        key(member.key());
        dom(member.value());
      }
      end_object();
      return;
    case nlohmann::json::value_t::array:
      begin_array();
      for (const auto& element : v) dom(element);
      end_array();
      return;
    case nlohmann::json::value_t::string: value(v.template get_ref<const std::string&>()); return;
    case nlohmann::json::value_t::boolean: value(v.template get<bool>()); return;
    case nlohmann::json::value_t::number_integer: integer(v.template get<int64_t>()); return;
    case nlohmann::json::value_t::number_unsigned: integer(v.template get<uint64_t>()); return;
    case nlohmann::json::value_t::number_float: value(v.template get<double>()); return;
    case nlohmann::json::value_t::null: null(); return;
    default:  // binary and discarded values never come from JSON text; keep dump()'s spelling
      raw(v.dump(-1, ' ', false, BasicJson::error_handler_t::replace));
  }
}

JsonWriter& JsonWriter::value(const nlohmann::ordered_json& v) {
  dom(v);
  return *this;
}

JsonWriter& JsonWriter::value(const nlohmann::json& v) {
  dom(v);
  return *this;
}

}  // namespace phone_handoff
