#include "redact.hpp"

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstring>
#include <iterator>
#include <optional>
#include <vector>

namespace phone_handoff {
namespace {

// ---- words -------------------------------------------------------------------------------------

// What a word means to the redactor. Each word of a turn is looked up once, as it is read; after
// that only these values are compared, never text (comparing every word with the word tables was
// most of the redactor's instructions).
enum class Word : std::uint8_t {
  other,
  digit,               // "zero" … "nine" (value: the digit)
  zero_letter,         // "oh", "o" (value 0)
  teen,                // "ten" … "nineteen" (value 10–19)
  tens,                // "twenty" … "ninety" (value 2–9)
  repeat,              // "double", "triple" (value 2, 3)
  thousand,
  separator,           // "dash", "hyphen": the punctuation between digit groups, spoken
  month,               // "january", "jan", "sept", … (value 1–12)
  security_code_name,  // "cvv", "cvc", "csc", "cid"
  expiry_name,         // "expiry", "expiration", "expires", …
  security,
  verification,
  card,
  code,
  number_noun,         // "number", "digits" (as in "security number")
  valid,
  until,               // "thru", "through", "until" (as in "valid thru")
  ssn,
  social,
  is,
};

struct Meaning {
  Word word = Word::other;
  std::int8_t value = 0;
};

struct VocabularyEntry {
  std::string_view text;   // lower case
  Meaning meaning;
};

// Every word the redactor knows. ("CVV2", "CVC2", "CID2": the reader takes one digit glued to a
// security code's name as part of the name, see TokenReader::next.)
constexpr VocabularyEntry kVocabulary[] = {
    {"zero", {Word::digit, 0}}, {"one", {Word::digit, 1}}, {"two", {Word::digit, 2}},
    {"three", {Word::digit, 3}}, {"four", {Word::digit, 4}}, {"five", {Word::digit, 5}},
    {"six", {Word::digit, 6}}, {"seven", {Word::digit, 7}}, {"eight", {Word::digit, 8}},
    {"nine", {Word::digit, 9}}, {"oh", {Word::zero_letter, 0}}, {"o", {Word::zero_letter, 0}},
    {"ten", {Word::teen, 10}}, {"eleven", {Word::teen, 11}}, {"twelve", {Word::teen, 12}},
    {"thirteen", {Word::teen, 13}}, {"fourteen", {Word::teen, 14}}, {"fifteen", {Word::teen, 15}},
    {"sixteen", {Word::teen, 16}}, {"seventeen", {Word::teen, 17}}, {"eighteen", {Word::teen, 18}},
    {"nineteen", {Word::teen, 19}},
    {"twenty", {Word::tens, 2}}, {"thirty", {Word::tens, 3}}, {"forty", {Word::tens, 4}},
    {"fifty", {Word::tens, 5}}, {"sixty", {Word::tens, 6}}, {"seventy", {Word::tens, 7}},
    {"eighty", {Word::tens, 8}}, {"ninety", {Word::tens, 9}},
    {"double", {Word::repeat, 2}}, {"triple", {Word::repeat, 3}}, {"thousand", {Word::thousand, 0}},
    {"dash", {Word::separator, 0}}, {"hyphen", {Word::separator, 0}},
    {"january", {Word::month, 1}}, {"february", {Word::month, 2}}, {"march", {Word::month, 3}},
    {"april", {Word::month, 4}}, {"may", {Word::month, 5}}, {"june", {Word::month, 6}},
    {"july", {Word::month, 7}}, {"august", {Word::month, 8}}, {"september", {Word::month, 9}},
    {"october", {Word::month, 10}}, {"november", {Word::month, 11}}, {"december", {Word::month, 12}},
    {"jan", {Word::month, 1}}, {"feb", {Word::month, 2}}, {"mar", {Word::month, 3}},
    {"apr", {Word::month, 4}}, {"jun", {Word::month, 6}}, {"jul", {Word::month, 7}},
    {"aug", {Word::month, 8}}, {"sep", {Word::month, 9}}, {"sept", {Word::month, 9}},
    {"oct", {Word::month, 10}}, {"nov", {Word::month, 11}}, {"dec", {Word::month, 12}},
    {"cvv", {Word::security_code_name}}, {"cvc", {Word::security_code_name}},
    {"csc", {Word::security_code_name}}, {"cid", {Word::security_code_name}},
    {"expiry", {Word::expiry_name}}, {"expiration", {Word::expiry_name}}, {"expires", {Word::expiry_name}},
    {"expire", {Word::expiry_name}}, {"expiring", {Word::expiry_name}}, {"exp", {Word::expiry_name}},
    {"expiry's", {Word::expiry_name}},
    {"security", {Word::security}}, {"verification", {Word::verification}}, {"card", {Word::card}},
    {"code", {Word::code}}, {"number", {Word::number_noun}}, {"digits", {Word::number_noun}},
    {"valid", {Word::valid}}, {"thru", {Word::until}}, {"through", {Word::until}}, {"until", {Word::until}},
    {"ssn", {Word::ssn}}, {"social", {Word::social}}, {"is", {Word::is}},
};

constexpr size_t longest_vocabulary_word() {
  size_t longest = 0;
  for (const VocabularyEntry& e : kVocabulary) longest = std::max(longest, e.text.size());
  return longest;
}

// Finds a word among the entries of its length and first letter: most words of a turn fail at
// the first test, and the rest compare with one or two entries.
class Vocabulary {
 public:
  Vocabulary() {
    std::copy(std::begin(kVocabulary), std::end(kVocabulary), entries_.begin());
    std::sort(entries_.begin(), entries_.end(), [](const VocabularyEntry& a, const VocabularyEntry& b) {
      return std::pair(a.text.size(), a.text[0]) < std::pair(b.text.size(), b.text[0]);
    });
    for (size_t k = 0; k < entries_.size(); ++k) {
      Range& range = ranges_[entries_[k].text.size()][entries_[k].text[0] - 'a'];
      if (range.end == 0) range.begin = static_cast<std::uint8_t>(k);
      range.end = static_cast<std::uint8_t>(k + 1);
    }
  }

  // `word` is ASCII letters and apostrophes, in any case.
  Meaning find(std::string_view word) const {
    if (word.size() > kLongest) return {};
    const Range range = ranges_[word.size()][lower(word[0]) - 'a'];
    for (size_t k = range.begin; k < range.end; ++k)
      if (equal_ignoring_case(word, entries_[k].text)) return entries_[k].meaning;
    return {};
  }

 private:
  static constexpr size_t kLongest = longest_vocabulary_word();
  static_assert(std::size(kVocabulary) < 256, "ranges are bytes");
  struct Range { std::uint8_t begin = 0, end = 0; };

  // Setting bit 0x20 lower-cases an ASCII letter and leaves the apostrophe (0x27) as it is.
  static char lower(char c) { return static_cast<char>(c | 0x20); }
  static bool equal_ignoring_case(std::string_view word, std::string_view entry) {
    for (size_t i = 0; i < word.size(); ++i)
      if (lower(word[i]) != entry[i]) return false;
    return true;
  }

  std::array<VocabularyEntry, std::size(kVocabulary)> entries_{};
  std::array<std::array<Range, 26>, kLongest + 1> ranges_{};
};

const Vocabulary& vocabulary() {
  static const Vocabulary words;
  return words;
}

// ---- tokens -------------------------------------------------------------------------------------

enum class TokenKind : std::uint8_t { word, numeral, card_marker, other_marker };

// weak_security_code ("the code is …") says what a number near a card is, but is too common
// ("zip code", "promo code") to put numbers near it under suspicion on its own.
enum class Keyword : std::uint8_t { none, security_code, weak_security_code, expiry, ssn };

struct Token {
  TokenKind kind;
  Meaning meaning;                         // words only (other tokens: Word::other)
  size_t begin, end;                       // bytes in the text
  Keyword keyword_before = Keyword::none;  // the latest keyword before it (set per turn)
};

// What each byte can start or continue. A table, because every byte of every turn is looked at.
enum class ByteClass : std::uint8_t { separator, letter, digit, open_bracket };

constexpr std::array<ByteClass, 256> kByteClass = [] {
  std::array<ByteClass, 256> classes{};
  for (int c = 'a'; c <= 'z'; ++c) classes[c] = classes[c - 'a' + 'A'] = ByteClass::letter;
  for (int c = '0'; c <= '9'; ++c) classes[c] = ByteClass::digit;
  classes['['] = ByteClass::open_bracket;
  return classes;
}();

ByteClass byte_class(char c) { return kByteClass[static_cast<unsigned char>(c)]; }
bool is_ascii_letter(char c) { return byte_class(c) == ByteClass::letter; }
bool is_digit(char c) { return byte_class(c) == ByteClass::digit; }

// How many of the eight bytes at `at` lead with ASCII letters (0–8): a word's letters are found
// a word at a time instead of a table look-up per byte (every byte of every turn is read).
size_t leading_letters(const char* at) {
  std::uint64_t x;
  std::memcpy(&x, at, sizeof x);
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
  constexpr std::uint64_t ones = 0x0101010101010101ULL, highs = 0x8080808080808080ULL;
  // Lower case, high bits cleared so that no byte's sum below carries into the next byte.
  const std::uint64_t lower = (x | (ones * 0x20)) & (ones * 0x7F);
  const std::uint64_t from_a = (lower + ones * (0x80 - 'a')) & highs;        // byte >= 'a'
  const std::uint64_t past_z = (lower + ones * (0x80 - 'z' - 1)) & highs;    // byte > 'z'
  const std::uint64_t letters = from_a & ~past_z & ~x;                       // and ASCII
  const std::uint64_t not_letters = ~letters & highs;
  return not_letters == 0 ? 8 : static_cast<size_t>(__builtin_ctzll(not_letters)) / 8;
#else
  size_t count = 0;
  while (count < 8 && is_ascii_letter(at[count])) ++count;
  (void)x;
  return count;
#endif
}

// Our own masks, recognised so that redacting twice changes nothing (their digits are not a
// number anyone spoke) and so that a card masked earlier still counts as "a card nearby".
std::optional<Token> marker_at(std::string_view text, size_t i) {
  for (auto [prefix, kind] : {std::pair{std::string_view("[card ending "), TokenKind::card_marker},
                              std::pair{std::string_view("[SSN ending "), TokenKind::other_marker}}) {
    const size_t n = prefix.size();
    if (text.compare(i, n, prefix) != 0 || i + n + 5 > text.size()) continue;
    bool digits = true;
    for (size_t k = 0; k < 4; ++k) digits = digits && is_digit(text[i + n + k]);
    if (digits && text[i + n + 4] == ']') return Token{kind, {}, i, i + n + 5};
  }
  for (std::string_view whole : {"[card security code]", "[card expiry]"}) {
    if (text.compare(i, whole.size(), whole) == 0) return Token{TokenKind::card_marker, {}, i, i + whole.size()};
  }
  return std::nullopt;
}

// Reads a turn's tokens in order: words (ASCII letters, with apostrophes inside), numerals (ASCII
// digits) and our own masks. Everything else (spaces, punctuation, other scripts) only separates.
class TokenReader {
 public:
  explicit TokenReader(std::string_view text) : text_(text), words_(vocabulary()) {}

  // Reads on from `at`, which must be where a token begins (or 0).
  void rewind(size_t at) { at_ = at; }

  bool next(Token& token) {
    const size_t size = text_.size();
    for (;;) {
      while (at_ < size && byte_class(text_[at_]) == ByteClass::separator) ++at_;
      if (at_ == size) return false;
      const size_t begin = at_;
      switch (byte_class(text_[begin])) {
        case ByteClass::letter:
          at_ = word_end(begin);
          token = {TokenKind::word, words_.find(text_.substr(begin, at_ - begin)), begin, at_};
          // "CVV2 123": the 2 belongs to the name (a version of it), never to the code after it.
          // Only one digit: "cvv123" is the name and the code run together.
          if (token.meaning.word == Word::security_code_name && at_ < size && is_digit(text_[at_]) &&
              (at_ + 1 == size || byte_class(text_[at_ + 1]) == ByteClass::separator))
            token.end = ++at_;
          return true;
        case ByteClass::digit:
          while (at_ < size && is_digit(text_[at_])) ++at_;
          token = {TokenKind::numeral, {}, begin, at_};
          return true;
        case ByteClass::open_bracket:
          if (auto marker = marker_at(text_, begin)) return take(*marker, token);
          ++at_;
          break;
        case ByteClass::separator:
          break;   // skipped above
      }
    }
  }

 private:
  // Letters, and an apostrophe between letters ("it's", "expiry's").
  size_t word_end(size_t at) const {
    const size_t size = text_.size();
    for (;;) {
      for (size_t run = 8; run == 8 && size - at >= 8;) {
        run = leading_letters(text_.data() + at);
        at += run;
      }
      while (at < size && is_ascii_letter(text_[at])) ++at;
      if (at + 1 < size && text_[at] == '\'' && is_ascii_letter(text_[at + 1])) {
        at += 2;
      } else {
        return at;
      }
    }
  }

  bool take(const Token& found, Token& token) {
    token = found;
    at_ = found.end;
    return true;
  }

  std::string_view text_;
  const Vocabulary& words_;
  size_t at_ = 0;
};

// ---- spoken numbers -----------------------------------------------------------------------------

bool is_digit_word(const Token& t) { return t.meaning.word == Word::digit || t.meaning.word == Word::zero_letter; }

bool is_single_digit(const Token& t) {
  return is_digit_word(t) || (t.kind == TokenKind::numeral && t.end - t.begin == 1);
}

// Could this token be part of a spoken or written number?
bool numeric_token(const Token& t) {
  switch (t.meaning.word) {
    case Word::digit: case Word::zero_letter: case Word::teen: case Word::tens: case Word::repeat: case Word::thousand:
      return true;
    default:
      return t.kind == TokenKind::numeral;
  }
}

// A word transcribers write for the punctuation between digit groups.
bool spoken_separator(const Token& t) { return t.meaning.word == Word::separator; }

// What may sit between the parts of one number: spaces and the punctuation people and
// transcribers put between digit groups, but not a line break or a sentence's worth of text.
bool number_gap(std::string_view gap) {
  if (gap.size() > 3) return false;
  for (char c : gap)
    if (c != ' ' && c != ',' && c != '-' && c != '.' && c != '/') return false;
  return true;
}

enum class AtomKind { numeral, digit_word, zero_letter, two_digit_word };

// One unit of a number: a written numeral, a spoken digit, "double four", "twenty seven".
struct Atom {
  std::string digits;
  AtomKind kind;
  size_t first_token, last_token;
};

// Reads tokens [from, to) of `text` (already known to form one run) into atoms, appended to
// `atoms` (at most one atom per token).
void append_atoms(std::string_view text, const std::vector<Token>& t, size_t from, size_t to, std::vector<Atom>& atoms) {
  const size_t first_atom = atoms.size();
  for (size_t i = from; i < to; ++i) {
    const Meaning m = t[i].meaning;
    const auto digit_char = [](int d) { return static_cast<char>('0' + d); };
    if (t[i].kind == TokenKind::numeral) {
      atoms.push_back({std::string(text.substr(t[i].begin, t[i].end - t[i].begin)), AtomKind::numeral, i, i});
    } else if (is_digit_word(t[i])) {
      atoms.push_back({std::string(1, digit_char(m.value)),
                       m.word == Word::zero_letter ? AtomKind::zero_letter : AtomKind::digit_word, i, i});
    } else if (m.word == Word::teen) {
      atoms.push_back({std::to_string(m.value), AtomKind::two_digit_word, i, i});
    } else if (m.word == Word::tens) {
      std::string digits{digit_char(m.value), '0'};
      size_t last = i;
      // "twenty seven", but not "twenty oh".
      if (i + 1 < to && t[i + 1].meaning.word == Word::digit && t[i + 1].meaning.value > 0) {
        digits[1] = digit_char(t[i + 1].meaning.value);
        last = i + 1;
      }
      atoms.push_back({digits, AtomKind::two_digit_word, i, last});
      i = last;
    } else if (m.word == Word::repeat && i + 1 < to && is_single_digit(t[i + 1])) {
      const Token& repeated = t[i + 1];
      const char d = repeated.kind == TokenKind::numeral ? text[repeated.begin] : digit_char(repeated.meaning.value);
      atoms.push_back({std::string(static_cast<size_t>(m.value), d), AtomKind::digit_word, i, i + 1});
      ++i;
    } else if (m.word == Word::thousand && atoms.size() > first_atom && atoms.back().digits.size() == 1 &&
               atoms.back().kind == AtomKind::digit_word) {
      // "two thousand twenty seven" → 2027, "two thousand seven" → 2007, "two thousand" → 2000.
      Atom& year = atoms.back();
      std::string rest = "000";
      size_t last = i;
      if (i + 1 < to) {
        std::vector<Atom> next;
        append_atoms(text, t, i + 1, std::min(to, i + 3), next);
        if (!next.empty() && next[0].digits.size() <= 2 && next[0].kind != AtomKind::numeral) {
          rest = std::string(3 - next[0].digits.size(), '0') + next[0].digits;
          last = next[0].last_token;
        }
      }
      year.digits += rest;
      year.kind = AtomKind::numeral;
      year.last_token = last;
      i = last;
    }
    // A stray "double" or "thousand" carries no digits of its own.
  }
}

std::string digits_of(const std::vector<Atom>& atoms, size_t from, size_t to) {
  std::string d;
  for (size_t k = from; k < to; ++k) d += atoms[k].digits;
  return d;
}

bool luhn_valid(const std::string& digits) {
  int sum = 0;
  bool twice = false;
  for (auto it = digits.rbegin(); it != digits.rend(); ++it) {
    int d = *it - '0';
    if (twice) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    twice = !twice;
  }
  return sum % 10 == 0;
}

bool valid_ssn(const std::string& d) {
  if (d.size() != 9) return false;
  const std::string area = d.substr(0, 3), group = d.substr(3, 2), serial = d.substr(5, 4);
  return area != "000" && area != "666" && area[0] != '9' && group != "00" && serial != "0000";
}

bool plausible_year(const std::string& y) {
  if (y.size() == 2) return true;
  return y.size() == 4 && y[0] == '2' && y[1] == '0';
}

// ---- keywords -----------------------------------------------------------------------------------

// The keyword that starts at token i, and how many tokens it spans.
std::pair<Keyword, size_t> keyword_at(const std::vector<Token>& t, size_t i) {
  if (t[i].kind != TokenKind::word) return {Keyword::none, 0};
  const Word w = t[i].meaning.word;
  const bool word_follows = i + 1 < t.size() && t[i + 1].kind == TokenKind::word;
  const Word next = word_follows ? t[i + 1].meaning.word : Word::other;
  switch (w) {
    case Word::security_code_name:
      return {Keyword::security_code, 1};
    case Word::security: case Word::verification:
      if (next == Word::code || next == Word::number_noun) return {Keyword::security_code, 2};
      break;
    case Word::card:
      if (next == Word::code) return {Keyword::security_code, 2};
      break;
    case Word::code:
      return {Keyword::weak_security_code, 1};
    case Word::expiry_name:
      return {Keyword::expiry, 1};
    case Word::valid:
      if (next == Word::until) return {Keyword::expiry, 2};
      break;
    case Word::ssn:
      return {Keyword::ssn, 1};
    case Word::social:
      if (next == Word::security || next == Word::is || !word_follows) return {Keyword::ssn, 1};
      break;
    default:
      break;
  }
  return {Keyword::none, 0};
}

// Whether a token can change anything: (part of) a number, one of our masks, or a word that can
// start a keyword. A turn with none of these is left as it is and only ages the context.
// "card" starts a keyword only as "card code", and "code" matters on its own: the turn is then
// read from the last plain word before "code", which is that "card" (support calls say "card"
// a lot, and in the 400-turn canonical call it alone sent half the turns through the full pass).
bool may_matter(const Token& t) {
  if (t.kind != TokenKind::word) return true;
  switch (t.meaning.word) {
    case Word::other: case Word::separator: case Word::month: case Word::number_noun: case Word::until: case Word::is:
    case Word::card:
      return false;
    default:
      return true;
  }
}

// A quick test that a turn holds nothing may_matter() would stop at, run before its tokens are
// read: no digit, no '[' and no run of ASCII letters shaped like a word that matters (same
// length, same first and last letter as one of them, in any case). Reading the tokens of a plain
// turn was most of a redaction pass; this reads its bytes once and looks up each run of letters
// in a table. It may say "not sure" for a plain turn (then the tokens decide), never "plain" for
// one that is not: every word that matters begins with a run of letters that is in the table
// (the word itself, or its part before an apostrophe), a numeral starts with a digit and a mask
// with '['.
class PlainTurnFilter {
 public:
  PlainTurnFilter() {
    for (const VocabularyEntry& entry : kVocabulary) {
      if (!may_matter(Token{TokenKind::word, entry.meaning, 0, 0})) continue;
      // A word with an apostrophe ("expiry's") is found by its first run of letters, which
      // starts where the word does.
      const size_t run = std::min(entry.text.find('\''), entry.text.size());
      shapes_[run][entry.text[0] - 'a'] |= 1u << (entry.text[run - 1] - 'a');
    }
  }

  bool surely_plain(std::string_view text) const {
    const size_t size = text.size();
    size_t at = 0;
    while (at < size) {
      const ByteClass kind = byte_class(text[at]);
      if (kind == ByteClass::separator) {
        ++at;
        continue;
      }
      if (kind != ByteClass::letter) return false;   // a digit or '['
      const size_t begin = at;
      for (size_t run = 8; run == 8 && size - at >= 8;) {
        run = leading_letters(text.data() + at);
        at += run;
      }
      while (at < size && is_ascii_letter(text[at])) ++at;
      const size_t length = at - begin;
      if (length < shapes_.size() && (shapes_[length][lower(text[begin]) - 'a'] >> (lower(text[at - 1]) - 'a') & 1u) &&
          shaped_word_matters(text, begin, at))
        return false;
    }
    return true;
  }

 private:
  // A run of letters shaped like a word that matters ("there" like "three"): looked up, unless an
  // apostrophe makes it part of a longer word.
  static bool shaped_word_matters(std::string_view text, size_t begin, size_t end) {
    if (end < text.size() && text[end] == '\'') return true;
    return may_matter(Token{TokenKind::word, vocabulary().find(text.substr(begin, end - begin)), begin, end});
  }
  static char lower(char c) { return static_cast<char>(c | 0x20); }
  // shapes_[length][first letter]: a bit per last letter.
  std::array<std::array<std::uint32_t, 26>, longest_vocabulary_word() + 1> shapes_{};
};

const PlainTurnFilter& plain_turn_filter() {
  static const PlainTurnFilter filter;
  return filter;
}

// ---- one turn -----------------------------------------------------------------------------------

struct Replacement {
  size_t begin, end;
  std::string text;
};

std::string last_four(const std::string& digits) { return digits.substr(digits.size() - 4); }

// Atoms [from, to) of one run, not claimed by a card; judged once the whole turn is read.
struct Segment {
  size_t from, to;
};

}  // namespace

struct Redactor::Buffers {
  std::vector<Token> tokens;
  std::vector<Atom> atoms;          // all runs' atoms
  std::vector<bool> boundary;       // of one run
  std::vector<Segment> leftovers;
  std::vector<Replacement> out;
};

Redactor::Redactor(const RedactionSettings& settings) : settings_(settings), buffers_(std::make_unique<Buffers>()) {}
Redactor::~Redactor() = default;
Redactor::Redactor(Redactor&&) noexcept = default;
Redactor& Redactor::operator=(Redactor&&) noexcept = default;

void Redactor::start_new_text() {
  card_context_turns_ = 0;
  ssn_context_turns_ = 0;
  last_keyword_ = static_cast<int>(Keyword::none);
}

std::string Redactor::next_turn(std::string_view text) {
  std::string out;
  if (!redact_turn(text, out)) out.assign(text.data(), text.size());
  return out;
}

void Redactor::next_turn_in_place(std::string& text) {
  std::string out;
  if (redact_turn(text, out)) text = std::move(out);
}

void Redactor::end_turn(bool card_trigger, bool ssn_trigger, int last_keyword) {
  card_context_turns_ = card_trigger ? 2 : std::max(0, card_context_turns_ - 1);
  ssn_context_turns_ = ssn_trigger ? 2 : std::max(0, ssn_context_turns_ - 1);
  last_keyword_ = card_context_turns_ > 0 || ssn_context_turns_ > 0 ? last_keyword : static_cast<int>(Keyword::none);
}

bool Redactor::redact_turn(std::string_view text, std::string& result) {
  // Most turns hold no number and no keyword: reading them through once is enough. The plain
  // words before the first token that may matter are never looked at again, except the last one
  // (a month right before a number), so the turn's tokens start there.
  if (plain_turn_filter().surely_plain(text)) {
    end_turn(false, false, last_keyword_);
    return false;
  }
  std::vector<Token>& t = buffers_->tokens;
  {
    TokenReader reader(text);
    Token token;
    size_t tokens_begin = 0;   // where the last plain word before `token` begins
    bool plain = true;
    while (plain && reader.next(token)) {
      plain = !may_matter(token);
      if (plain) tokens_begin = token.begin;
    }
    if (plain) {
      end_turn(false, false, last_keyword_);
      return false;
    }
    t.clear();
    reader.rewind(tokens_begin);
    while (reader.next(token)) t.push_back(token);
  }

  // Keywords (what a number is depends on the nearest keyword before it).
  Keyword last = static_cast<Keyword>(last_keyword_);
  bool card_trigger = false, ssn_trigger = false;
  for (size_t i = 0; i < t.size(); ++i) {
    t[i].keyword_before = last;
    if (t[i].kind == TokenKind::card_marker) card_trigger = true;
    auto [kw, span] = keyword_at(t, i);
    if (kw == Keyword::none) continue;
    if (kw == Keyword::ssn) ssn_trigger = true;
    else if (kw != Keyword::weak_security_code) card_trigger = true;
    last = kw == Keyword::weak_security_code ? Keyword::security_code : kw;
    for (size_t k = 1; k < span && i + k < t.size(); ++k) t[i + k].keyword_before = last;
    i += span - 1;
  }

  // Runs of number tokens, then cards inside them; what is left of each run is judged once the
  // whole turn is read.
  std::vector<Atom>& atoms = buffers_->atoms;
  std::vector<bool>& boundary = buffers_->boundary;
  std::vector<Segment>& leftovers = buffers_->leftovers;
  std::vector<Replacement>& out = buffers_->out;
  atoms.clear();
  leftovers.clear();
  out.clear();
  for (size_t i = 0; i < t.size();) {
    if (!numeric_token(t[i])) { ++i; continue; }
    size_t j = i + 1;
    while (j < t.size()) {
      if (numeric_token(t[j]) && number_gap(text.substr(t[j - 1].end, t[j].begin - t[j - 1].end))) {
        ++j;
      } else if (spoken_separator(t[j]) && j + 1 < t.size() && numeric_token(t[j + 1]) &&
                 number_gap(text.substr(t[j - 1].end, t[j].begin - t[j - 1].end)) &&
                 number_gap(text.substr(t[j].end, t[j + 1].begin - t[j].end))) {
        j += 2;   // "one two three dash four five": the word is the group's punctuation
      } else {
        break;
      }
    }
    const size_t run_begin = atoms.size();
    append_atoms(text, t, i, j, atoms);
    const size_t run_end = atoms.size();
    i = j;

    // Where one spoken group ends and the next begins: at written numerals and at punctuation.
    // A card is looked for between such boundaries only, so sixteen digits read out in one
    // breath are one number (card or not), never a lucky Luhn-valid slice of it.
    // boundary[k - run_begin]: before atoms[k]; the run's ends are boundaries too.
    boundary.assign(run_end - run_begin + 1, true);
    const auto boundary_before = [&](size_t k) { return boundary[k - run_begin]; };
    for (size_t k = run_begin + 1; k < run_end; ++k) {
      const Token& before = t[atoms[k - 1].last_token];
      const Token& after = t[atoms[k].first_token];
      const std::string_view gap = text.substr(before.end, after.begin - before.end);
      boundary[k - run_begin] = atoms[k - 1].kind == AtomKind::numeral || atoms[k].kind == AtomKind::numeral ||
                    gap.find_first_of(",./") != std::string_view::npos || gap.find_first_of("abcdefghijklmnopqrstuvwxyz") != std::string_view::npos ||
                    gap.find_first_of("ABCDEFGHIJKLMNOPQRSTUVWXYZ") != std::string_view::npos;
    }
    size_t open = run_begin;   // start of atoms not yet claimed by a card
    for (size_t a = run_begin; a < run_end;) {
      std::optional<size_t> card_end;
      if (boundary_before(a) && atoms[a].kind != AtomKind::zero_letter) {   // "Oh, 4111…" starts at the 4
        // Where a card starting here could end (every atom has a digit, so at most 19 places);
        // the longest Luhn-valid one wins.
        size_t total = 0, e = a;
        std::array<size_t, 20> ends;
        size_t end_count = 0;
        while (e < run_end && total + atoms[e].digits.size() <= 19) {
          total += atoms[e].digits.size();
          ++e;
          if (total >= 13 && boundary_before(e)) ends[end_count++] = e;
        }
        while (end_count > 0 && !card_end) {
          const size_t candidate = ends[--end_count];
          if (luhn_valid(digits_of(atoms, a, candidate))) card_end = candidate;
        }
      }
      if (!card_end) { ++a; continue; }
      if (open < a) leftovers.push_back({open, a});
      card_trigger = true;
      if (settings_.cards) {
        ++counts_.card;
        out.push_back({t[atoms[a].first_token].begin, t[atoms[*card_end - 1].last_token].end,
                       "[card ending " + last_four(digits_of(atoms, a, *card_end)) + "]"});
      }
      a = open = *card_end;
    }
    if (open < run_end) leftovers.push_back({open, run_end});
  }

  const bool near_card = card_context_turns_ > 0 || card_trigger;
  const bool near_ssn_word = ssn_context_turns_ > 0 || ssn_trigger;
  for (const Segment& seg : leftovers) {
    struct { const std::vector<Atom>& atoms; size_t from, to; } s{atoms, seg.from, seg.to};
    const std::string digits = digits_of(s.atoms, s.from, s.to);
    const Token& first = t[s.atoms[s.from].first_token];
    const Token& end_token = t[s.atoms[s.to - 1].last_token];
    size_t begin = first.begin;
    const size_t end = end_token.end;

    bool spoken = true, grouped_324 = s.to - s.from == 3;
    for (size_t k = s.from; k < s.to; ++k) spoken = spoken && s.atoms[k].kind != AtomKind::numeral;
    if (grouped_324) {
      const size_t sizes[3] = {3, 2, 4};
      for (size_t k = 0; k < 3; ++k)
        grouped_324 = grouped_324 && s.atoms[s.from + k].kind == AtomKind::numeral && s.atoms[s.from + k].digits.size() == sizes[k];
    }
    if (digits.size() == 9 && valid_ssn(digits) && (grouped_324 || spoken || near_ssn_word)) {
      if (settings_.ssn) {
        ++counts_.ssn;
        out.push_back({begin, end, "[SSN ending " + last_four(digits) + "]"});
      }
      continue;
    }
    if (!near_card || !settings_.card_security_codes) continue;
    if (begin > 0 && (text[begin - 1] == '$' || text[begin - 1] == '#')) continue;   // money, not a code

    // An expiry: "12/27", "December 2027", "twelve twenty seven", "oh five twenty eight".
    const Keyword kw = t[s.atoms[s.from].first_token].keyword_before;
    const size_t first_index = s.atoms[s.from].first_token;
    const bool after_month = first_index > 0 && t[first_index - 1].meaning.word == Word::month &&
                             number_gap(text.substr(t[first_index - 1].end, first.begin - t[first_index - 1].end));
    bool expiry = false;
    if (after_month && plausible_year(digits)) {
      expiry = true;
      begin = t[first_index - 1].begin;
    } else if (digits.size() >= 3 && digits.size() <= 6) {
      for (size_t year_len : {size_t{2}, size_t{4}}) {
        if (digits.size() <= year_len || digits.size() - year_len > 2) continue;
        const int month = std::stoi(digits.substr(0, digits.size() - year_len));
        if (month < 1 || month > 12 || !plausible_year(digits.substr(digits.size() - year_len))) continue;
        const std::string_view between = s.to - s.from >= 2
            ? text.substr(t[s.atoms[s.to - 2].last_token].end, t[s.atoms[s.to - 1].first_token].begin - t[s.atoms[s.to - 2].last_token].end)
            : std::string_view();
        const bool slash = between.find('/') != std::string_view::npos;
        const bool paired = s.to - s.from >= 2 && s.atoms[s.to - 1].digits.size() == year_len &&
                            (s.atoms[s.to - 1].kind != AtomKind::digit_word);
        // "one twenty three" after "security code" is a code, not January '23; after "expires",
        // four or six digits are a date even when nothing else says so.
        const bool dated = kw == Keyword::expiry && (digits.size() == 4 || digits.size() == 6);
        if (slash || dated || (paired && kw != Keyword::security_code)) expiry = true;
      }
    }
    if (expiry) {
      ++counts_.card_expiry;
      out.push_back({begin, end, "[card expiry]"});
    } else if (digits.size() == 3 || digits.size() == 4) {
      ++counts_.card_security_code;
      out.push_back({begin, end, "[card security code]"});
    }
  }

  end_turn(card_trigger, ssn_trigger, static_cast<int>(last));
  if (out.empty()) return false;

  std::sort(out.begin(), out.end(), [](const Replacement& a, const Replacement& b) { return a.begin < b.begin; });
  result.reserve(text.size() + 8 * out.size());
  size_t at = 0;
  for (const Replacement& r : out) {
    if (r.begin < at) continue;   // overlapping claims cannot happen; be safe anyway
    result.append(text.substr(at, r.begin - at));
    result += r.text;
    at = r.end;
  }
  result.append(text.substr(at));
  return true;
}

std::string redact_text(std::string_view text, const RedactionSettings& settings, RedactionCounts& counts) {
  Redactor redactor(settings);
  std::string out = redactor.next_turn(text);
  counts += redactor.counts();
  return out;
}

RedactionCounts redact_handoff(Handoff& h, const RedactionSettings& settings) {
  RedactionCounts counts;
  if (!settings.cards && !settings.card_security_codes && !settings.ssn) return counts;
  Redactor conversation(settings);
  for (Turn& turn : h.transcript) conversation.next_turn_in_place(turn.text);
  counts += conversation.counts();
  // Each of these texts on its own (no context from elsewhere).
  Redactor alone(settings);
  const auto redact_alone = [&](std::string& text) {
    alone.start_new_text();
    alone.next_turn_in_place(text);
  };
  for (std::string* text : {&h.handoff.summary, &h.handoff.reason.caller_asked, &h.handoff.reason.ai_unresolved})
    redact_alone(*text);
  for (ToolCall& call : h.tool_calls) redact_alone(call.result);
  for (auto& [name, value] : h.custom_fields) {
    if (value.is_string()) {
      redact_alone(value.get_ref<std::string&>());
    } else if (value.is_number_integer()) {   // a card number stored as a JSON number
      const std::string digits = value.dump();
      const std::string masked = redact_text(digits, settings, counts);
      if (masked != digits) value = masked;
    }
  }
  counts += alone.counts();
  return counts;
}

nlohmann::ordered_json redaction_counts_to_json(const RedactionCounts& c) {
  return {{"card", c.card}, {"card_security_code", c.card_security_code}, {"card_expiry", c.card_expiry}, {"ssn", c.ssn}};
}

}  // namespace phone_handoff
