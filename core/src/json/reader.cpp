#include "json/reader.hpp"

#include <algorithm>
#include <clocale>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <string>

namespace phone_handoff::json_reader {
namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// Eight bytes at a time: a word whose high bits mark the bytes that end or complicate a string
// (a quote, a backslash, a control character or a non-ASCII byte); zero when there are none.
// Only the lowest marked byte is exact (a borrow can mark bytes above it), which is all the
// reader uses.
uint64_t special_bytes(const char* at) {
  constexpr uint64_t ones = 0x0101010101010101ULL, highs = 0x8080808080808080ULL;
  uint64_t x;
  std::memcpy(&x, at, sizeof x);
  // A byte of (v - ones) has its high bit set when that byte of v is 0 or ≥ 0x81; bytes ≥ 0x80
  // of x are caught by `| x` anyway, so this marks exactly quote, backslash and < 0x20.
  return (((x ^ (ones * '"')) - ones) | ((x ^ (ones * '\\')) - ones) | (x - ones * 0x20) | x) & highs;
}

// Offset of the first special byte in a word from special_bytes (non-zero).
size_t first_special(uint64_t special) {
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
  return static_cast<size_t>(__builtin_ctzll(special)) / 8;
#else
  (void)special;
  return 0;  // the byte loop finds it
#endif
}

// Length of the UTF-8 sequence at `at`, or 0 when it is not well-formed (see reader.hpp).
inline size_t utf8_length(const unsigned char* at, const unsigned char* end) {
  const unsigned char lead = at[0];
  if (lead < 0x80) return 1;
  size_t length;
  unsigned char low = 0x80, high = 0xBF;  // allowed range of the second byte
  if (lead >= 0xC2 && lead <= 0xDF) length = 2;
  else if (lead == 0xE0) length = 3, low = 0xA0;
  else if (lead >= 0xE1 && lead <= 0xEC) length = 3;
  else if (lead == 0xED) length = 3, high = 0x9F;
  else if (lead >= 0xEE && lead <= 0xEF) length = 3;
  else if (lead == 0xF0) length = 4, low = 0x90;
  else if (lead >= 0xF1 && lead <= 0xF3) length = 4;
  else if (lead == 0xF4) length = 4, high = 0x8F;
  else return 0;
  if (static_cast<size_t>(end - at) < length) return 0;
  if (at[1] < low || at[1] > high) return 0;
  for (size_t k = 2; k < length; ++k)
    if (at[k] < 0x80 || at[k] > 0xBF) return 0;
  return length;
}

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Powers of ten a double holds exactly.
constexpr double kExactPowersOfTen[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                        1e8,  1e9,  1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
                                        1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};

// strtod as nlohmann's lexer calls it: on a NUL-terminated copy of the token, with '.' replaced by
// the C locale's decimal point should a host program have changed it.
double strtod_like_nlohmann(const char* begin, const char* end) {
  std::string token(begin, end);
  const char point = *std::localeconv()->decimal_point;
  if (point != '.') std::replace(token.begin(), token.end(), '.', point);
  return std::strtod(token.c_str(), nullptr);
}

}  // namespace

size_t utf8_sequence_length(std::string_view text, size_t i) {
  const auto* bytes = reinterpret_cast<const unsigned char*>(text.data());
  return utf8_length(bytes + i, bytes + text.size());
}

TextProblem scan_text(std::string_view text, int max_depth) {
  int depth = 0;
  bool in_string = false, escaped = false;
  for (size_t i = 0; i < text.size();) {
    const size_t length = utf8_sequence_length(text, i);
    if (length == 0) return {TextProblem::Kind::invalid_utf8, i};
    const char c = text[i];
    i += length;
    if (length > 1) continue;
    if (in_string) {
      if (escaped) escaped = false;
      else if (c == '\\') escaped = true;
      else if (c == '"') in_string = false;
    } else if (c == '"') {
      in_string = true;
    } else if (c == '{' || c == '[') {
      if (++depth > max_depth) return {TextProblem::Kind::too_deep, i - 1};
    } else if (c == '}' || c == ']') {
      --depth;
    }
  }
  return {};
}

// ---- Value ----------------------------------------------------------------------------------------

double Value::number() const {
  switch (kind_) {
    case Kind::integer: return static_cast<double>(scalar_.integer);
    case Kind::unsigned_integer: return static_cast<double>(scalar_.unsigned_integer);
    case Kind::floating: return scalar_.floating;
    default: return 0.0;
  }
}

const Value* Value::find(std::string_view key) const {
  if (kind_ != Kind::object) return nullptr;
  const Value* found = nullptr;
  // The size and the first byte rule out most members without a call to memcmp.
  for (const Value& member : *this)
    if (member.key_size_ == key.size() && (key.empty() || (member.key_[0] == key[0] &&
                                                           std::memcmp(member.key_, key.data(), key.size()) == 0)))
      found = &member;
  return found;
}

std::vector<const Value*> Value::sorted_members() const {
  std::vector<const Value*> members;
  if (kind_ != Kind::object) return members;
  members.reserve(size_);
  for (const Value& member : *this) members.push_back(&member);
  // Stable, so duplicates stay in document order and the last of each run is the one kept.
  std::stable_sort(members.begin(), members.end(),
                   [](const Value* a, const Value* b) { return a->key() < b->key(); });
  std::vector<const Value*> unique;
  unique.reserve(members.size());
  for (size_t i = 0; i < members.size(); ++i)
    if (i + 1 == members.size() || members[i]->key() != members[i + 1]->key()) unique.push_back(members[i]);
  return unique;
}

nlohmann::json Value::to_nlohmann() const {
  switch (kind_) {
    case Kind::null: return nullptr;
    case Kind::boolean: return scalar_.boolean;
    case Kind::integer: return scalar_.integer;
    case Kind::unsigned_integer: return scalar_.unsigned_integer;
    case Kind::floating: return scalar_.floating;
    case Kind::string: return std::string(string());
    case Kind::array: {
      nlohmann::json out = nlohmann::json::array();
      for (const Value& element : *this) out.push_back(element.to_nlohmann());
      return out;
    }
    case Kind::object: {
      nlohmann::json out = nlohmann::json::object();
      for (const Value& member : *this) out[std::string(member.key())] = member.to_nlohmann();
      return out;
    }
  }
  return nullptr;
}

std::string Value::pointer_to(const Value* descendant) const {
  std::string pointer;
  const Value* at = this;
  while (at != descendant && at->is_container()) {
    size_t index = 0;
    const Value* next = nullptr;
    for (const Value& child : *at) {
      if (descendant >= &child && descendant < &child + child.span_) {
        next = &child;
        break;
      }
      ++index;
    }
    if (!next) break;  // not a descendant: the pointer so far is the best there is
    pointer += '/';
    if (at->kind_ == Kind::array) {
      pointer += std::to_string(index);
    } else {
      for (char c : next->key()) {
        if (c == '~') pointer += "~0";
        else if (c == '/') pointer += "~1";
        else pointer += c;
      }
    }
    at = next;
  }
  return pointer;
}

// ---- parsing --------------------------------------------------------------------------------------

// One pass, no recursion: `open_` holds the containers being filled. Any failure returns false
// at once; the caller gets the explanation from nlohmann (see reader.hpp).
class Parser {
 public:
  Parser(Document& doc, std::string_view text, int max_depth)
      : doc_(doc), values_(doc.values_), at_(text.data()), end_(text.data() + text.size()),
        text_size_(text.size()), max_depth_(max_depth) {}

  bool run() {
    if (end_ - at_ >= 3 && std::memcmp(at_, "\xEF\xBB\xBF", 3) == 0) at_ += 3;  // as nlohmann: a BOM may lead
    values_.reserve(text_size_ / 24 + 8);
    for (;;) {
      skip_whitespace();
      if (at_ == end_) return false;
      // One new value: an element of the innermost open container, or the document itself.
      const auto index = static_cast<uint32_t>(values_.size());
      values_.emplace_back();
      if (!open_.empty()) {
        Value& parent = values_[open_.back()];
        ++parent.size_;
        if (parent.kind_ == Kind::object) {
          values_.back().key_ = key_;
          values_.back().key_size_ = key_size_;
        }
      }
      Value& value = values_.back();
      const char c = *at_;
      if (c == '{' || c == '[') {
        value.kind_ = c == '{' ? Kind::object : Kind::array;
        ++at_;
        if (open_.size() >= static_cast<size_t>(max_depth_)) return false;
        open_.push_back(index);
        skip_whitespace();
        if (at_ == end_) return false;
        if (*at_ != (c == '{' ? '}' : ']')) {
          if (c == '{' && !member_name()) return false;
          continue;  // the first element
        }
        ++at_;
        close();
      } else if (c == '"') {
        value.kind_ = Kind::string;
        if (!string(value.scalar_.text, value.size_)) return false;
      } else if (c == 't' || c == 'f' || c == 'n') {
        if (!literal(value)) return false;
      } else if (c == '-' || is_digit(c)) {
        if (!number(value)) return false;
      } else {
        return false;
      }
      // A value is complete: close the containers it completes, then expect the next element.
      for (;;) {
        skip_whitespace();
        if (open_.empty()) return at_ == end_ || end_of_input_at_nul();
        if (at_ == end_) return false;
        const bool in_object = values_[open_.back()].kind_ == Kind::object;
        if (*at_ == ',') {
          ++at_;
          if (in_object) {
            skip_whitespace();
            if (!member_name()) return false;
          }
          break;
        }
        if (*at_ != (in_object ? '}' : ']')) return false;
        ++at_;
        close();
      }
    }
  }

 private:
  // nlohmann's lexer takes a NUL byte between tokens for the end of the input. The bytes after it
  // start with no string open and no bracket open (the value before is complete).
  bool end_of_input_at_nul() const {
    if (*at_ != '\0') return false;
    const auto rest = std::string_view(at_ + 1, static_cast<size_t>(end_ - at_ - 1));
    return scan_text(rest, max_depth_).kind == TextProblem::Kind::none;
  }

  void skip_whitespace() {
    while (at_ != end_ && (*at_ == ' ' || *at_ == '\n' || *at_ == '\r' || *at_ == '\t')) ++at_;
  }

  void close() {
    const uint32_t index = open_.back();
    open_.pop_back();
    values_[index].span_ = static_cast<uint32_t>(values_.size() - index);
  }

  // `"name" :` before a member's value.
  bool member_name() {
    if (at_ == end_ || *at_ != '"' || !string(key_, key_size_)) return false;
    skip_whitespace();
    if (at_ == end_ || *at_ != ':') return false;
    ++at_;
    return true;
  }

  bool literal(Value& value) {
    const auto matches = [&](const char* word, size_t size) {
      if (static_cast<size_t>(end_ - at_) < size || std::memcmp(at_, word, size) != 0) return false;
      at_ += size;
      return true;
    };
    if (matches("true", 4)) {
      value.kind_ = Kind::boolean;
      value.scalar_.boolean = true;
    } else if (matches("false", 5)) {
      value.kind_ = Kind::boolean;
      value.scalar_.boolean = false;
    } else if (!matches("null", 4)) {
      return false;
    }
    return true;
  }

  // The string starting at the quote under at_: a view into the text when it has no escapes,
  // else its decoded bytes in the document's storage.
  bool string(const char*& text, uint32_t& size) {
    const char* const start = ++at_;
    char* decoded = nullptr;  // once an escape is seen: where the decoded string starts
    char* out = nullptr;      // and where its next byte goes
    const char* plain = start;  // bytes from here to at_ still to be copied to `out`
    for (;;) {
      if (end_ - at_ >= 8) {
        const uint64_t special = special_bytes(at_);
        if (special == 0) {
          at_ += 8;
          continue;
        }
        at_ += first_special(special);
      } else if (at_ == end_) {
        return false;
      }
      const auto c = static_cast<unsigned char>(*at_);
      if (c == '"') {
        if (!decoded) {
          text = start;
          size = static_cast<uint32_t>(at_ - start);
        } else {
          out = copy(plain, at_, out);
          text = decoded;
          size = static_cast<uint32_t>(out - decoded);
          doc_.decoded_size_ = static_cast<size_t>(out - doc_.decoded_.get());
        }
        ++at_;
        return true;
      }
      if (c == '\\') {
        if (!decoded) decoded = out = decoded_storage();
        out = copy(plain, at_, out);
        if (!escape(out)) return false;
        plain = at_;
      } else if (c < 0x80) {
        if (c < 0x20) return false;
        ++at_;
      } else {
        const size_t length = utf8_length(reinterpret_cast<const unsigned char*>(at_),
                                          reinterpret_cast<const unsigned char*>(end_));
        if (length == 0) return false;
        at_ += length;
      }
    }
  }

  // Where the next decoded string goes. A decoded string is never longer than its escaped form,
  // so one block the size of the text holds them all and never moves: earlier views stay valid.
  char* decoded_storage() {
    if (!doc_.decoded_) doc_.decoded_.reset(new char[text_size_]);
    return doc_.decoded_.get() + doc_.decoded_size_;
  }

  static char* copy(const char* from, const char* to, char* out) {
    const auto count = static_cast<size_t>(to - from);
    if (count) std::memcpy(out, from, count);
    return out + count;
  }

  // The escape under at_ ("\\n", "\\u00e9", …), decoded to `out`.
  bool escape(char*& out) {
    if (end_ - at_ < 2) return false;
    const char escape = at_[1];
    at_ += 2;
    switch (escape) {
      case '"': *out++ = '"'; return true;
      case '\\': *out++ = '\\'; return true;
      case '/': *out++ = '/'; return true;
      case 'b': *out++ = '\b'; return true;
      case 'f': *out++ = '\f'; return true;
      case 'n': *out++ = '\n'; return true;
      case 'r': *out++ = '\r'; return true;
      case 't': *out++ = '\t'; return true;
      case 'u': return unicode_escape(out);
      default: return false;
    }
  }

  // The four hex digits under at_ (after "\u").
  int code_unit() {
    if (end_ - at_ < 4) return -1;
    int unit = 0;
    for (int i = 0; i < 4; ++i) {
      const int digit = hex_digit(at_[i]);
      if (digit < 0) return -1;
      unit = unit * 16 + digit;
    }
    at_ += 4;
    return unit;
  }

  // As nlohmann: a high surrogate must be followed by "\u" and a low one; a lone surrogate is an
  // error; "\u0000" is a NUL byte in the string.
  bool unicode_escape(char*& out) {
    int unit = code_unit();
    if (unit < 0 || (unit >= 0xDC00 && unit <= 0xDFFF)) return false;
    uint32_t code_point = static_cast<uint32_t>(unit);
    if (unit >= 0xD800 && unit <= 0xDBFF) {
      if (end_ - at_ < 2 || at_[0] != '\\' || at_[1] != 'u') return false;
      at_ += 2;
      const int low = code_unit();
      if (low < 0xDC00 || low > 0xDFFF) return false;
      code_point = 0x10000 + ((code_point - 0xD800) << 10) + static_cast<uint32_t>(low - 0xDC00);
    }
    if (code_point < 0x80) {
      *out++ = static_cast<char>(code_point);
    } else if (code_point < 0x800) {
      *out++ = static_cast<char>(0xC0 | (code_point >> 6));
      *out++ = static_cast<char>(0x80 | (code_point & 0x3F));
    } else if (code_point < 0x10000) {
      *out++ = static_cast<char>(0xE0 | (code_point >> 12));
      *out++ = static_cast<char>(0x80 | ((code_point >> 6) & 0x3F));
      *out++ = static_cast<char>(0x80 | (code_point & 0x3F));
    } else {
      *out++ = static_cast<char>(0xF0 | (code_point >> 18));
      *out++ = static_cast<char>(0x80 | ((code_point >> 12) & 0x3F));
      *out++ = static_cast<char>(0x80 | ((code_point >> 6) & 0x3F));
      *out++ = static_cast<char>(0x80 | (code_point & 0x3F));
    }
    return true;
  }

  // Integers become unsigned (no sign) or integer (minus sign) when they fit, as nlohmann's
  // strtoull / strtoll; everything else is a double, exactly as strtod reads it.
  // Digits from `at` on, added to `mantissa` while there are at most 19 in all (`count`).
  static const char* digits(const char* at, const char* end, uint64_t& mantissa, int& count) {
    for (; at != end && is_digit(*at); ++at)
      if (++count <= 19) mantissa = mantissa * 10 + static_cast<uint64_t>(*at - '0');
    return at;
  }

  bool number(Value& value) {
    const char* const start = at_;
    const bool negative = *at_ == '-';
    if (negative) ++at_;
    // The significant digits (integer and fraction) as one integer while there are at most 19.
    uint64_t mantissa = 0;
    int digit_count = 0;
    const char* const integer_digits = at_;
    if (at_ == end_ || !is_digit(*at_)) return false;
    if (*at_ == '0') {
      ++at_;
      ++digit_count;
    } else {
      at_ = digits(at_, end_, mantissa, digit_count);
    }
    const auto integer_length = at_ - integer_digits;
    bool integral = true;
    int fraction_digits = 0;
    if (at_ != end_ && *at_ == '.') {
      const char* const fraction = ++at_;
      at_ = digits(at_, end_, mantissa, digit_count);
      fraction_digits = static_cast<int>(std::min<std::ptrdiff_t>(at_ - fraction, 100000));
      if (fraction_digits == 0) return false;
      integral = false;
    }
    int exponent = 0;
    bool exponent_fits = true;
    if (at_ != end_ && (*at_ == 'e' || *at_ == 'E')) {
      ++at_;
      const bool exponent_negative = at_ != end_ && *at_ == '-';
      if (at_ != end_ && (*at_ == '+' || *at_ == '-')) ++at_;
      if (at_ == end_ || !is_digit(*at_)) return false;
      for (; at_ != end_ && is_digit(*at_); ++at_) {
        if (exponent > 100000) exponent_fits = false;
        else exponent = exponent * 10 + (*at_ - '0');
      }
      if (exponent_negative) exponent = -exponent;
      integral = false;
    }
    const bool mantissa_fits = digit_count <= 19;

    if (integral) {
      uint64_t whole = mantissa;
      bool fits = mantissa_fits;
      if (!fits && integer_length == 20) {  // up to 18446744073709551615
        constexpr uint64_t max = std::numeric_limits<uint64_t>::max();
        const auto last = static_cast<uint64_t>(integer_digits[19] - '0');
        fits = mantissa <= (max - last) / 10;
        whole = mantissa * 10 + last;
      }
      if (fits && !negative) {
        value.kind_ = Kind::unsigned_integer;
        value.scalar_.unsigned_integer = whole;
        return true;
      }
      constexpr uint64_t most_negative = uint64_t(1) << 63;
      if (fits && negative && whole <= most_negative) {
        value.kind_ = Kind::integer;
        value.scalar_.integer = whole == most_negative ? std::numeric_limits<int64_t>::min()
                                                       : -static_cast<int64_t>(whole);
        return true;
      }
    }
    value.kind_ = Kind::floating;
    // Clinger's fast path: a mantissa below 2^53 and a power of ten up to 22 are both exact
    // doubles, so one correctly rounded multiplication or division gives strtod's result.
    const int scale = exponent - fraction_digits;
    double result;
    if (mantissa_fits && exponent_fits && mantissa <= (uint64_t(1) << 53) && scale >= -22 && scale <= 22) {
      const double m = static_cast<double>(mantissa);
      result = scale >= 0 ? m * kExactPowersOfTen[scale] : m / kExactPowersOfTen[-scale];
      if (negative) result = -result;
    } else {
      result = strtod_like_nlohmann(start, at_);
    }
    if (!std::isfinite(result)) return false;  // nlohmann: "number overflow"
    value.scalar_.floating = result;
    return true;
  }

  Document& doc_;
  std::vector<Value>& values_;
  const char* at_;
  const char* const end_;
  const size_t text_size_;
  const int max_depth_;
  std::vector<uint32_t> open_;
  const char* key_ = nullptr;  // the name of the member whose value comes next
  uint32_t key_size_ = 0;
};

// Document::from: copies an nlohmann value into the same layout.
class Builder {
 public:
  explicit Builder(Document& doc) : doc_(doc) {}

  void build(const nlohmann::json& root) {
    doc_.decoded_.reset(new char[string_bytes(root)]);
    add(root, {});
  }

 private:
  static size_t string_bytes(const nlohmann::json& value) {
    size_t total = 0;
    if (value.is_string()) total += value.get_ref<const std::string&>().size();
    if (value.is_object())
      for (auto it = value.begin(); it != value.end(); ++it) total += it.key().size() + string_bytes(it.value());
    if (value.is_array())
      for (const auto& element : value) total += string_bytes(element);
    return total;
  }

  // Copies `text` into the storage sized by build().
  std::pair<const char*, uint32_t> copy(std::string_view text) {
    char* const at = doc_.decoded_.get() + doc_.decoded_size_;
    if (!text.empty()) std::memcpy(at, text.data(), text.size());
    doc_.decoded_size_ += text.size();
    return {at, static_cast<uint32_t>(text.size())};
  }

  void add(const nlohmann::json& value, std::string_view key) {
    const size_t index = doc_.values_.size();
    doc_.values_.emplace_back();
    const auto name = copy(key);
    Value& v = doc_.values_.back();
    v.key_ = name.first;
    v.key_size_ = name.second;
    switch (value.type()) {
      case nlohmann::json::value_t::boolean:
        v.kind_ = Kind::boolean;
        v.scalar_.boolean = value.get<bool>();
        break;
      case nlohmann::json::value_t::number_integer:
        v.kind_ = Kind::integer;
        v.scalar_.integer = value.get<int64_t>();
        break;
      case nlohmann::json::value_t::number_unsigned:
        v.kind_ = Kind::unsigned_integer;
        v.scalar_.unsigned_integer = value.get<uint64_t>();
        break;
      case nlohmann::json::value_t::number_float:
        v.kind_ = Kind::floating;
        v.scalar_.floating = value.get<double>();
        break;
      case nlohmann::json::value_t::string: {
        v.kind_ = Kind::string;
        const auto text = copy(value.get_ref<const std::string&>());
        v.scalar_.text = text.first;
        v.size_ = text.second;
        break;
      }
      case nlohmann::json::value_t::array:
        v.kind_ = Kind::array;
        v.size_ = static_cast<uint32_t>(value.size());
        for (const auto& element : value) add(element, {});
        break;
      case nlohmann::json::value_t::object:
        v.kind_ = Kind::object;
        v.size_ = static_cast<uint32_t>(value.size());
        for (auto it = value.begin(); it != value.end(); ++it) add(it.value(), it.key());
        break;
      default: break;  // null, discarded, binary: read as null
    }
    doc_.values_[index].span_ = static_cast<uint32_t>(doc_.values_.size() - index);
  }

  Document& doc_;
};

bool Document::parse(std::string_view text, int max_depth) {
  values_.clear();
  decoded_.reset();
  decoded_size_ = 0;
  // Sizes and spans are 32-bit; the ingest limits stay far below.
  if (text.size() >= std::numeric_limits<uint32_t>::max() / 2) return false;
  Parser parser(*this, text, max_depth);
  if (parser.run()) return true;
  values_.clear();
  return false;
}

Document Document::from(const nlohmann::json& value) {
  Document doc;
  Builder(doc).build(value);
  return doc;
}

}  // namespace phone_handoff::json_reader
