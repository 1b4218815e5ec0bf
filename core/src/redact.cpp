#include "redact.hpp"

#include <algorithm>
#include <array>
#include <cstring>
#include <optional>
#include <vector>

namespace phone_handoff {
namespace {

// ---- tokens -------------------------------------------------------------------------------------

enum class TokenKind { word, numeral, card_marker, other_marker };

struct Token {
  TokenKind kind;
  size_t begin, end;     // bytes in the text
  std::string lower;     // words and numerals, lower case
};

bool is_ascii_letter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool is_digit(char c) { return c >= '0' && c <= '9'; }

// Our own masks, recognised so that redacting twice changes nothing (their digits are not a
// number anyone spoke) and so that a card masked earlier still counts as "a card nearby".
std::optional<Token> marker_at(std::string_view text, size_t i) {
  for (auto [prefix, kind] : {std::pair{"[card ending ", TokenKind::card_marker},
                              std::pair{"[SSN ending ", TokenKind::other_marker}}) {
    const size_t n = std::strlen(prefix);
    if (text.compare(i, n, prefix) != 0 || i + n + 5 > text.size()) continue;
    bool digits = true;
    for (size_t k = 0; k < 4; ++k) digits = digits && is_digit(text[i + n + k]);
    if (digits && text[i + n + 4] == ']') return Token{kind, i, i + n + 5, ""};
  }
  for (std::string_view whole : {"[card security code]", "[card expiry]"}) {
    if (text.compare(i, whole.size(), whole) == 0) return Token{TokenKind::card_marker, i, i + whole.size(), ""};
  }
  return std::nullopt;
}

std::vector<Token> tokenize(std::string_view text) {
  std::vector<Token> tokens;
  size_t i = 0;
  while (i < text.size()) {
    const char c = text[i];
    if (c == '[') {
      if (auto marker = marker_at(text, i)) {
        tokens.push_back(*marker);
        i = marker->end;
        continue;
      }
    }
    if (is_digit(c) || is_ascii_letter(c)) {
      const bool numeral = is_digit(c);
      size_t j = i;
      while (j < text.size() && (numeral ? is_digit(text[j])
                                         : (is_ascii_letter(text[j]) || (text[j] == '\'' && j + 1 < text.size() && is_ascii_letter(text[j + 1])))))
        ++j;
      std::string lower(text.substr(i, j - i));
      for (char& ch : lower)
        if (ch >= 'A' && ch <= 'Z') ch = static_cast<char>(ch - 'A' + 'a');
      tokens.push_back({numeral ? TokenKind::numeral : TokenKind::word, i, j, std::move(lower)});
      i = j;
      continue;
    }
    ++i;
  }
  return tokens;
}

// ---- spoken numbers -----------------------------------------------------------------------------

// Word tests take string_view: comparing a std::string with a literal goes through strlen and
// compare() every time, which made these tables most of the pipeline's instructions (callgrind).

std::optional<int> digit_word(std::string_view w) {
  static const std::array<std::string_view, 10> words = {"zero", "one", "two", "three", "four",
                                                    "five", "six", "seven", "eight", "nine"};
  for (size_t d = 0; d < words.size(); ++d)
    if (w == words[d]) return static_cast<int>(d);
  if (w == "oh" || w == "o") return 0;
  return std::nullopt;
}

std::optional<int> teen_word(std::string_view w) {
  static const std::array<std::string_view, 10> words = {"ten", "eleven", "twelve", "thirteen", "fourteen",
                                                    "fifteen", "sixteen", "seventeen", "eighteen", "nineteen"};
  for (size_t k = 0; k < words.size(); ++k)
    if (w == words[k]) return static_cast<int>(10 + k);
  return std::nullopt;
}

std::optional<int> tens_word(std::string_view w) {
  static const std::array<std::string_view, 8> words = {"twenty", "thirty", "forty", "fifty",
                                                   "sixty", "seventy", "eighty", "ninety"};
  for (size_t k = 0; k < words.size(); ++k)
    if (w == words[k]) return static_cast<int>(2 + k);
  return std::nullopt;
}

int repeat_word(std::string_view w) { return w == "double" ? 2 : w == "triple" ? 3 : 0; }

bool is_single_digit(const Token& t) {
  return (t.kind == TokenKind::word && digit_word(t.lower)) || (t.kind == TokenKind::numeral && t.lower.size() == 1);
}

// Could this token be part of a spoken or written number?
bool numeric_token(const Token& t) {
  if (t.kind == TokenKind::numeral) return true;
  if (t.kind != TokenKind::word) return false;
  return digit_word(t.lower) || teen_word(t.lower) || tens_word(t.lower) || repeat_word(t.lower) || std::string_view(t.lower) == "thousand";
}

// A word transcribers write for the punctuation between digit groups.
bool spoken_separator(const Token& t) {
  return t.kind == TokenKind::word && (std::string_view(t.lower) == "dash" || std::string_view(t.lower) == "hyphen");
}

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

// Reads tokens [from, to) (already known to form one run) into atoms.
std::vector<Atom> atoms_of(const std::vector<Token>& t, size_t from, size_t to) {
  std::vector<Atom> atoms;
  for (size_t i = from; i < to; ++i) {
    const std::string& w = t[i].lower;
    if (t[i].kind == TokenKind::numeral) {
      atoms.push_back({w, AtomKind::numeral, i, i});
    } else if (auto d = digit_word(w)) {
      atoms.push_back({std::to_string(*d), (w == "oh" || w == "o") ? AtomKind::zero_letter : AtomKind::digit_word, i, i});
    } else if (auto teen = teen_word(w)) {
      atoms.push_back({std::to_string(*teen), AtomKind::two_digit_word, i, i});
    } else if (auto tens = tens_word(w)) {
      std::string digits = std::to_string(*tens) + "0";
      size_t last = i;
      if (i + 1 < to && t[i + 1].kind == TokenKind::word) {
        auto unit = digit_word(t[i + 1].lower);
        if (unit && *unit > 0 && t[i + 1].lower != "o" && t[i + 1].lower != "oh") {
          digits[1] = static_cast<char>('0' + *unit);
          last = i + 1;
        }
      }
      atoms.push_back({digits, AtomKind::two_digit_word, i, last});
      i = last;
    } else if (int times = repeat_word(w); times && i + 1 < to && is_single_digit(t[i + 1])) {
      const std::string d = t[i + 1].kind == TokenKind::numeral ? t[i + 1].lower : std::to_string(*digit_word(t[i + 1].lower));
      std::string digits;
      for (int k = 0; k < times; ++k) digits += d;
      atoms.push_back({digits, AtomKind::digit_word, i, i + 1});
      ++i;
    } else if (w == "thousand" && !atoms.empty() && atoms.back().digits.size() == 1 &&
               atoms.back().kind == AtomKind::digit_word) {
      // "two thousand twenty seven" → 2027, "two thousand seven" → 2007, "two thousand" → 2000.
      Atom& year = atoms.back();
      std::string rest = "000";
      size_t last = i;
      if (i + 1 < to) {
        std::vector<Atom> next = atoms_of(t, i + 1, std::min(to, i + 3));
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
  return atoms;
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

int month_name(std::string_view w) {
  static const std::array<std::string_view, 12> full = {"january", "february", "march", "april", "may", "june",
                                                   "july", "august", "september", "october", "november", "december"};
  static const std::array<std::string_view, 12> short_ = {"jan", "feb", "mar", "apr", "may", "jun",
                                                     "jul", "aug", "sep", "oct", "nov", "dec"};
  for (size_t m = 0; m < 12; ++m)
    if (w == full[m] || w == short_[m]) return static_cast<int>(m + 1);
  if (w == "sept") return 9;
  return 0;
}

bool plausible_year(const std::string& y) {
  if (y.size() == 2) return true;
  return y.size() == 4 && y[0] == '2' && y[1] == '0';
}

// ---- keywords -----------------------------------------------------------------------------------

// weak_security_code ("the code is …") says what a number near a card is, but is too common
// ("zip code", "promo code") to put numbers near it under suspicion on its own.
enum class Keyword { none, security_code, weak_security_code, expiry, ssn };

// The keyword that starts at token i, and how many tokens it spans.
std::pair<Keyword, size_t> keyword_at(const std::vector<Token>& t, size_t i) {
  if (t[i].kind != TokenKind::word) return {Keyword::none, 0};
  const std::string_view w = t[i].lower;
  const std::string_view next = i + 1 < t.size() && t[i + 1].kind == TokenKind::word ? std::string_view(t[i + 1].lower) : std::string_view();
  for (std::string_view k : {"cvv", "cvc", "cvv2", "cvc2", "csc", "cid"})
    if (w == k) return {Keyword::security_code, 1};
  if ((w == "security" || w == "verification") && (next == "code" || next == "number" || next == "digits"))
    return {Keyword::security_code, 2};
  if (w == "card" && next == "code") return {Keyword::security_code, 2};
  if (w == "code") return {Keyword::weak_security_code, 1};
  for (std::string_view k : {"expiry", "expiration", "expires", "expire", "expiring", "exp", "expiry's"})
    if (w == k) return {Keyword::expiry, 1};
  if (w == "valid" && (next == "thru" || next == "through" || next == "until")) return {Keyword::expiry, 2};
  if (w == "ssn" || (w == "social" && (next == "security" || next.empty() || next == "is"))) return {Keyword::ssn, 1};
  return {Keyword::none, 0};
}

// ---- one turn -----------------------------------------------------------------------------------

struct Replacement {
  size_t begin, end;
  std::string text;
};

std::string last_four(const std::string& digits) { return digits.substr(digits.size() - 4); }

}  // namespace

std::string Redactor::next_turn(std::string_view text) {
  const std::vector<Token> t = tokenize(text);

  // Keywords, by token index (what a number is depends on the nearest keyword before it).
  std::vector<Keyword> keyword_before(t.size() + 1, Keyword::none);
  Keyword last = static_cast<Keyword>(last_keyword_);
  bool card_trigger = false, ssn_trigger = false;
  for (size_t i = 0; i < t.size(); ++i) {
    keyword_before[i] = last;
    if (t[i].kind == TokenKind::card_marker) card_trigger = true;
    auto [kw, span] = keyword_at(t, i);
    if (kw == Keyword::none) continue;
    if (kw == Keyword::ssn) ssn_trigger = true;
    else if (kw != Keyword::weak_security_code) card_trigger = true;
    last = kw == Keyword::weak_security_code ? Keyword::security_code : kw;
    for (size_t k = 1; k < span && i + k < t.size(); ++k) keyword_before[i + k] = last;
    i += span - 1;
  }
  keyword_before[t.size()] = last;

  // Runs of number tokens, then cards inside them.
  // Atoms [from, to) of one run, not claimed by a card; judged once the whole turn is read.
  struct Segment { size_t run, from, to; };
  std::vector<std::vector<Atom>> runs;
  std::vector<Replacement> out;
  std::vector<Segment> leftovers;
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
    runs.push_back(atoms_of(t, i, j));
    const std::vector<Atom>& atoms = runs.back();
    const size_t run = runs.size() - 1;
    i = j;

    // Where one spoken group ends and the next begins: at written numerals and at punctuation.
    // A card is looked for between such boundaries only, so sixteen digits read out in one
    // breath are one number (card or not), never a lucky Luhn-valid slice of it.
    std::vector<bool> boundary(atoms.size() + 1, true);
    for (size_t k = 1; k < atoms.size(); ++k) {
      const Token& before = t[atoms[k - 1].last_token];
      const Token& after = t[atoms[k].first_token];
      const std::string_view gap = text.substr(before.end, after.begin - before.end);
      boundary[k] = atoms[k - 1].kind == AtomKind::numeral || atoms[k].kind == AtomKind::numeral ||
                    gap.find_first_of(",./") != std::string_view::npos || gap.find_first_of("abcdefghijklmnopqrstuvwxyz") != std::string_view::npos ||
                    gap.find_first_of("ABCDEFGHIJKLMNOPQRSTUVWXYZ") != std::string_view::npos;
    }
    size_t open = 0;   // start of atoms not yet claimed by a card
    for (size_t a = 0; a < atoms.size();) {
      std::optional<size_t> card_end;
      if (boundary[a] && atoms[a].kind != AtomKind::zero_letter) {   // "Oh, 4111…" starts at the 4
        size_t total = 0, e = a;
        std::vector<size_t> ends;
        while (e < atoms.size() && total + atoms[e].digits.size() <= 19) {
          total += atoms[e].digits.size();
          ++e;
          if (total >= 13 && boundary[e]) ends.push_back(e);
        }
        for (auto it = ends.rbegin(); it != ends.rend() && !card_end; ++it)
          if (luhn_valid(digits_of(atoms, a, *it))) card_end = *it;
      }
      if (!card_end) { ++a; continue; }
      if (open < a) leftovers.push_back({run, open, a});
      card_trigger = true;
      if (settings_.cards) {
        ++counts_.card;
        out.push_back({t[atoms[a].first_token].begin, t[atoms[*card_end - 1].last_token].end,
                       "[card ending " + last_four(digits_of(atoms, a, *card_end)) + "]"});
      }
      a = open = *card_end;
    }
    if (open < atoms.size()) leftovers.push_back({run, open, atoms.size()});
  }

  const bool near_card = card_context_turns_ > 0 || card_trigger;
  const bool near_ssn_word = ssn_context_turns_ > 0 || ssn_trigger;
  for (const Segment& seg : leftovers) {
    struct { const std::vector<Atom>& atoms; size_t from, to; } s{runs[seg.run], seg.from, seg.to};
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
    const Keyword kw = keyword_before[s.atoms[s.from].first_token];
    const size_t first_index = s.atoms[s.from].first_token;
    const bool after_month = first_index > 0 && t[first_index - 1].kind == TokenKind::word &&
                             month_name(t[first_index - 1].lower) &&
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

  card_context_turns_ = card_trigger ? 2 : std::max(0, card_context_turns_ - 1);
  ssn_context_turns_ = ssn_trigger ? 2 : std::max(0, ssn_context_turns_ - 1);
  last_keyword_ = static_cast<int>(card_context_turns_ > 0 || ssn_context_turns_ > 0 ? last : Keyword::none);

  std::sort(out.begin(), out.end(), [](const Replacement& a, const Replacement& b) { return a.begin < b.begin; });
  std::string result;
  size_t at = 0;
  for (const Replacement& r : out) {
    if (r.begin < at) continue;   // overlapping claims cannot happen; be safe anyway
    result.append(text.substr(at, r.begin - at));
    result += r.text;
    at = r.end;
  }
  result.append(text.substr(at));
  return result;
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
  for (Turn& turn : h.transcript) turn.text = conversation.next_turn(turn.text);
  counts += conversation.counts();
  for (std::string* text : {&h.handoff.summary, &h.handoff.reason.caller_asked, &h.handoff.reason.ai_unresolved})
    *text = redact_text(*text, settings, counts);
  for (ToolCall& call : h.tool_calls) call.result = redact_text(call.result, settings, counts);
  for (auto& [name, value] : h.custom_fields) {
    if (value.is_string()) {
      value = redact_text(value.get<std::string>(), settings, counts);
    } else if (value.is_number_integer()) {   // a card number stored as a JSON number
      const std::string digits = value.dump();
      const std::string masked = redact_text(digits, settings, counts);
      if (masked != digits) value = masked;
    }
  }
  return counts;
}

nlohmann::ordered_json redaction_counts_to_json(const RedactionCounts& c) {
  return {{"card", c.card}, {"card_security_code", c.card_security_code}, {"card_expiry", c.card_expiry}, {"ssn", c.ssn}};
}

}  // namespace phone_handoff
