#include "normalize.hpp"

#include <algorithm>
#include <tuple>
#include <utility>

#include "ingest.hpp"
#include "json_model.hpp"

namespace phone_handoff {
namespace {

constexpr size_t kMinE164Digits = 7;   // e.g. +290 xxxx (Saint Helena)
constexpr size_t kMaxE164Digits = 15;  // ITU-T E.164

std::string_view trim(std::string_view s) {
  const char* space = " \t\r\n";
  const size_t first = s.find_first_not_of(space);
  if (first == std::string_view::npos) return {};
  return s.substr(first, s.find_last_not_of(space) - first + 1);
}

// The same as `s = trim(s)`, without a copy when there is nothing to trim (most texts).
void trim_in_place(std::string& s) {
  const auto space = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
  if (!s.empty() && !space(s.front()) && !space(s.back())) return;
  const std::string_view trimmed = trim(s);
  if (trimmed.size() == s.size()) return;
  const size_t first = trimmed.empty() ? 0 : static_cast<size_t>(trimmed.data() - s.data());
  s.erase(first + trimmed.size());
  s.erase(0, first);
}

std::string ascii_lower(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

bool starts_with_nocase(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() && ascii_lower(s.substr(0, prefix.size())) == prefix;
}

// "sip:" or "sips:", any case; returns the scheme's length or 0.
size_t sip_scheme_length(std::string_view s) {
  if (starts_with_nocase(s, "sip:")) return 4;
  if (starts_with_nocase(s, "sips:")) return 5;
  return 0;
}

bool is_withheld_word(std::string_view s) {
  static const char* const words[] = {"anonymous", "restricted", "private", "unknown",
                                      "unavailable", "withheld", "blocked"};
  const std::string lower = ascii_lower(s);
  for (const char* w : words)
    if (lower == w) return true;
  return false;
}

PhoneNumber invalid(std::string problem) {
  return {PhoneNumber::Kind::invalid, {}, std::move(problem)};
}

PhoneNumber check_length(std::string digits) {
  if (digits[0] == '0') return invalid("a country code never starts with 0");
  if (digits.size() < kMinE164Digits)
    return invalid("it has only " + std::to_string(digits.size()) + " digits, too few for a phone number");
  if (digits.size() > kMaxE164Digits)
    return invalid("it has " + std::to_string(digits.size()) + " digits; E.164 allows at most 15");
  return {PhoneNumber::Kind::e164, "+" + digits, {}};
}

// Quoted for a message; a byte that is not valid UTF-8 on its own (one byte of "☎") becomes
// U+FFFD instead of throwing, so an odd character is a payload error, never an internal one.
std::string json_quoted(std::string_view s) {
  return nlohmann::json(std::string(s)).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace

PhoneNumber normalize_phone(std::string_view raw, std::string_view default_country_code) {
  std::string_view s = trim(raw);
  if (s.empty()) return {};
  if (is_withheld_word(s)) return {PhoneNumber::Kind::withheld, {}, {}};
  if (starts_with_nocase(s, "tel:")) s = s.substr(4);
  if (const size_t scheme = sip_scheme_length(s)) {
    // A SIP trunk often sends the caller as sip:+15550009999@trunk: the user part is the number.
    const std::string_view rest = s.substr(scheme);
    const std::string_view user = rest.substr(0, std::min(rest.find('@'), rest.find(';')));
    if (is_withheld_word(user)) return {PhoneNumber::Kind::withheld, {}, {}};
    PhoneNumber inner = normalize_phone(user, default_country_code);
    if (inner.kind == PhoneNumber::Kind::e164) return inner;
    return invalid("it is a SIP address without a phone number in it");
  }

  std::string digits;
  bool plus = false;
  for (char c : s) {
    if (c >= '0' && c <= '9') {
      digits += c;
    } else if (c == '+' && digits.empty() && !plus) {
      plus = true;
    } else if (c == ' ' || c == '-' || c == '.' || c == '(' || c == ')' || c == '/' || c == '\t') {
      continue;  // visual separators
    } else {
      return invalid("it contains " + json_quoted(std::string(1, c)) +
                     ", which is not part of a phone number (extensions are not supported)");
    }
  }
  if (digits.empty()) return invalid("it has no digits");
  if (!plus && digits.rfind("00", 0) == 0) {  // international call prefix, as dialled in Europe
    plus = true;
    digits.erase(0, 2);
    if (digits.empty()) return invalid("it has no digits after the international prefix 00");
  }
  if (plus) return check_length(std::move(digits));

  if (default_country_code.empty())
    return invalid("it has no country code; write it as +<country code><number>, or set the "
                   "defaultCountryCode option to read national numbers");
  if (digits[0] == '0') {
    digits.erase(0, 1);  // national trunk prefix (020 … in the UK, 030 … in Germany)
  } else if (default_country_code == "1" && digits.size() == 11 && digits[0] == '1') {
    digits.erase(0, 1);  // North America dials its trunk prefix "1", the same as the country code
  }
  if (digits.empty()) return invalid("it has no digits after the trunk prefix 0");
  return check_length(std::string(default_country_code) + digits);
}

namespace {

class Normalizer {
 public:
  Normalizer(Handoff& h, const ParseOptions& options, Errors& errors, Errors& warnings,
             NormalizeReport& report)
      : h_(h), options_(options), errors_(errors), warnings_(warnings), report_(report) {}

  void run() {
    if (h_.session_id.empty()) h_.session_id = h_.call_id;
    normalize_numbers();
    normalize_transfer_destination();
    normalize_follow_up();
    normalize_transcript();
    sort_stable_by_time(h_.tool_calls, [](const ToolCall& t) { return t.at_ms; });
    normalize_custom_fields();
  }

 private:
  PhoneNumber number_field(std::string& field, const char* pointer) {
    const std::string raw = field;
    PhoneNumber n = normalize_phone(raw, options_.default_country_code);
    if (n.kind == PhoneNumber::Kind::e164) field = n.value;
    if (n.kind == PhoneNumber::Kind::withheld || n.kind == PhoneNumber::Kind::empty) field.clear();
    if (n.kind == PhoneNumber::Kind::invalid)
      errors_.push_back({pointer, json_quoted(raw) + " is not a usable phone number: " + n.problem});
    return n;
  }

  void normalize_numbers() {
    using Kind = PhoneNumber::Kind;
    const PhoneNumber from = number_field(h_.call.from, "/call/from");
    const PhoneNumber to = number_field(h_.call.to, "/call/to");
    PhoneNumber caller = number_field(h_.caller.phone, "/caller/phone");
    std::string caller_pointer = "/caller/phone";
    if (caller.kind == Kind::empty && h_.call.direction == Direction::inbound) {
      caller = from;
      caller_pointer = "/call/from";
    } else if (caller.kind == Kind::empty && h_.call.direction == Direction::outbound) {
      caller = to;
      caller_pointer = "/call/to";
    }
    if (caller.kind == Kind::e164) h_.caller.phone = caller.value;
    // Businesses do not withhold their own number, so a withheld number is the caller's.
    if (caller.kind == Kind::empty && (from.kind == Kind::withheld || to.kind == Kind::withheld))
      caller.kind = Kind::withheld;

    report_.caller_number = caller.kind;
    if (caller.kind == Kind::invalid) report_.caller_number_pointer = caller_pointer;
    if (caller.kind == Kind::withheld)
      warnings_.push_back({"/caller/phone",
                           "the caller withheld their number, so the rep cannot call back and "
                           "Zendesk cannot match the caller to an existing user"});
    if (caller.kind == Kind::empty && h_.call.direction != Direction::web)
      warnings_.push_back({"/caller/phone",
                           "no caller number was given, so the rep cannot call back and Zendesk "
                           "cannot match the caller to an existing user"});
  }

  void normalize_transfer_destination() {
    std::string& destination = h_.handoff.transfer_destination;
    const std::string_view trimmed = trim(destination);
    if (trimmed.empty()) {
      destination.clear();
      return;
    }
    if (const size_t scheme = sip_scheme_length(trimmed)) {
      if (trimmed.size() == scheme) {
        errors_.push_back({"/handoff/transfer_destination", json_quoted(destination) + " is a SIP URI without an address"});
        return;
      }
      destination = ascii_lower(trimmed.substr(0, scheme)) + std::string(trimmed.substr(scheme));
      return;
    }
    const std::string raw = destination;
    const PhoneNumber n = normalize_phone(raw, options_.default_country_code);
    if (n.kind == PhoneNumber::Kind::e164) {
      destination = n.value;
    } else {
      errors_.push_back({"/handoff/transfer_destination",
                         json_quoted(raw) + " must be an E.164 phone number or a sip:/sips: URI" +
                             (n.kind == PhoneNumber::Kind::invalid ? ": " + n.problem : "")});
    }
  }

  void normalize_follow_up() {
    FollowUp& follow_up = h_.handoff.follow_up;
    follow_up.address = std::string(trim(follow_up.address));
    if (!follow_up.channel) return;
    const bool email = *follow_up.channel == FollowUpChannel::email;
    if (follow_up.address.empty()) {
      // "Call me back" means the number the caller called from (already normalized above).
      follow_up.address = email ? h_.caller.email : h_.caller.phone;
      return;
    }
    const char* pointer = "/handoff/follow_up/address";
    if (email) {
      if (follow_up.address.find('@') == std::string::npos)
        errors_.push_back({pointer, json_quoted(follow_up.address) +
                                        " is not an email address, but the follow-up channel is email"});
      return;
    }
    const std::string raw = follow_up.address;
    const PhoneNumber n = normalize_phone(raw, options_.default_country_code);
    if (n.kind == PhoneNumber::Kind::e164) {
      follow_up.address = n.value;
    } else {
      errors_.push_back({pointer, json_quoted(raw) + " is not a usable phone number for a " +
                                      to_string(*follow_up.channel) + " follow-up" +
                                      (n.kind == PhoneNumber::Kind::invalid ? ": " + n.problem : "")});
    }
  }

  void normalize_transcript() {
    report_.raw_turns = h_.transcript.size();
    struct Indexed { Turn turn; size_t raw_index; };
    std::vector<Indexed> turns;
    turns.reserve(h_.transcript.size());
    for (size_t i = 0; i < h_.transcript.size(); ++i) {
      Turn& turn = h_.transcript[i];
      trim_in_place(turn.text);
      if (turn.text.empty()) {
        ++report_.empty_turns_dropped;
        warnings_.push_back({pointer_append("/transcript", i), std::string("a ") + to_string(turn.speaker) +
                                                               " turn with no text was dropped"});
        continue;
      }
      if (!turn.start_ms && turn.at_unix_ms && h_.call.started_at_unix_ms &&
          *turn.at_unix_ms >= *h_.call.started_at_unix_ms)
        turn.start_ms = *turn.at_unix_ms - *h_.call.started_at_unix_ms;
      if (turn.start_ms && turn.end_ms && *turn.end_ms < *turn.start_ms) {
        warnings_.push_back({pointer_append(pointer_append("/transcript", i), "end_ms"),
                             "ends (" + std::to_string(*turn.end_ms) + " ms) before it starts (" +
                                 std::to_string(*turn.start_ms) + " ms); the end time was dropped"});
        turn.end_ms.reset();
      }
      turns.push_back({std::move(turn), i});
    }
    sort_stable_by_time(turns, [](const Indexed& t) { return t.turn.start_ms; });

    // Exact duplicates among the timed turns: sorted by all their fields (ties in transcript
    // order), each turn equal to the one before it repeats an earlier turn.
    const auto fields = [](const Turn& t) { return std::tie(t.start_ms, t.end_ms, t.at_unix_ms, t.speaker, t.text); };
    std::vector<size_t> timed;
    for (size_t k = 0; k < turns.size(); ++k) {
      const Turn& t = turns[k].turn;
      if (t.start_ms || t.end_ms || t.at_unix_ms) timed.push_back(k);
    }
    const auto before = [&](size_t a, size_t b) {
      return std::forward_as_tuple(fields(turns[a].turn), a) < std::forward_as_tuple(fields(turns[b].turn), b);
    };
    if (!std::is_sorted(timed.begin(), timed.end(), before))   // usually they are: distinct start times
      std::sort(timed.begin(), timed.end(), before);
    std::vector<bool> repeated(turns.size(), false);
    for (size_t k = 1; k < timed.size(); ++k)
      repeated[timed[k]] = fields(turns[timed[k]].turn) == fields(turns[timed[k - 1]].turn);

    h_.transcript.clear();
    h_.transcript.reserve(turns.size());
    for (size_t k = 0; k < turns.size(); ++k) {
      if (repeated[k]) {
        ++report_.duplicate_turns_dropped;
        warnings_.push_back({pointer_append("/transcript", turns[k].raw_index),
                             "repeats an earlier turn exactly (same speaker, text and times) and was dropped"});
        continue;
      }
      h_.transcript.push_back(std::move(turns[k].turn));
    }
  }

  // The stable order documented in normalize.hpp: each timed item carries the untimed items that
  // follow it; these blocks are sorted by the timed item's time, ties in input order.
  template <class Item, class TimeOf>
  static void sort_stable_by_time(std::vector<Item>& items, TimeOf time_of) {
    struct Block { std::optional<int64_t> time; size_t first, count; };
    std::vector<Block> blocks;
    bool sorted = true;
    for (size_t i = 0; i < items.size(); ++i) {
      const std::optional<int64_t> time = time_of(items[i]);
      if (blocks.empty() || time) {
        if (time && !blocks.empty() && blocks.back().time && *time < *blocks.back().time) sorted = false;
        blocks.push_back({time, i, 1});
      } else {
        ++blocks.back().count;
      }
    }
    if (sorted) return;
    // A leading untimed block has no time and sorts first.
    std::stable_sort(blocks.begin(), blocks.end(), [](const Block& a, const Block& b) {
      return a.time.value_or(INT64_MIN) < b.time.value_or(INT64_MIN);
    });
    std::vector<Item> ordered;
    ordered.reserve(items.size());
    for (const Block& b : blocks)
      for (size_t i = b.first; i < b.first + b.count; ++i) ordered.push_back(std::move(items[i]));
    items = std::move(ordered);
  }

  void normalize_custom_fields() {
    for (auto it = h_.custom_fields.begin(); it != h_.custom_fields.end();) {
      nlohmann::json& value = it->second;
      if (value.is_null()) {
        it = h_.custom_fields.erase(it);
        continue;
      }
      if (value.is_object() || value.is_array() || value.is_binary()) {
        warnings_.push_back({pointer_append("/custom_fields", it->first),
                             "is a nested value; it was kept as its JSON text because Zendesk "
                             "ticket fields are flat"});
        value = value.dump();
      }
      ++it;
    }
  }

  Handoff& h_;
  const ParseOptions& options_;
  Errors& errors_;
  Errors& warnings_;
  NormalizeReport& report_;
};

}  // namespace

void normalize(Handoff& handoff, const ParseOptions& options, Errors& errors, Errors& warnings,
               NormalizeReport* report) {
  NormalizeReport local;
  Normalizer(handoff, options, errors, warnings, report ? *report : local).run();
}

}  // namespace phone_handoff
