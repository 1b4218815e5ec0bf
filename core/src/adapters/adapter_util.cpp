#include "adapters/adapter_util.hpp"

#include <algorithm>
#include <cmath>

#include "time_util.hpp"

namespace phone_handoff::adapters {
namespace {

using json_reader::Value;

const char* type_name(const Value& j) {
  if (j.is_string()) return "a string";
  if (j.is_boolean()) return "a boolean";
  if (j.is_number()) return "a number";
  if (j.is_array()) return "an array";
  if (j.is_object()) return "an object";
  return "null";
}

// Doubles beyond this cannot be converted to int64 exactly; no real time value comes close.
constexpr double max_exact_integer = 9007199254740992.0;  // 2^53

// Time values are never negative: offsets count from the call start, epochs from 1970.
std::optional<int64_t> scaled_to_ms(const Field& field, double factor) {
  auto value = field.number();
  if (!value) return std::nullopt;
  double ms = *value * factor;
  if (!std::isfinite(ms) || std::fabs(ms) >= max_exact_integer) {
    field.error("is out of range");
    return std::nullopt;
  }
  if (ms < 0) {
    field.error("must not be negative");
    return std::nullopt;
  }
  return static_cast<int64_t>(std::llround(ms));
}

std::string lower_ascii(std::string_view text) {
  std::string out(text);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

// The words of a turn: runs of ASCII letters and apostrophes (everything else separates them),
// as views into the text. Compared case-insensitively with lower-case table words (word_is), so
// a turn costs no copy and no allocation per word.
using Words = std::vector<std::string_view>;

void words_of(std::string_view text, Words& words) {
  words.clear();
  const auto word_character = [](char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '\''; };
  size_t start = 0;
  for (size_t i = 0; i <= text.size(); ++i) {
    if (i < text.size() && word_character(text[i])) continue;
    if (i > start) words.push_back(text.substr(start, i - start));
    start = i + 1;
  }
}

// `word` (letters and apostrophes) equals the lower-case `lower`, ignoring ASCII case: setting bit
// 0x20 lowers a letter and leaves an apostrophe as it is.
bool word_is(std::string_view word, std::string_view lower) {
  if (word.size() != lower.size()) return false;
  for (size_t i = 0; i < word.size(); ++i)
    if ((word[i] | 0x20) != lower[i]) return false;
  return true;
}

bool word_in(std::string_view word, std::initializer_list<std::string_view> list) {
  for (std::string_view entry : list)
    if (word_is(word, entry)) return true;
  return false;
}

// "speak to a person", "talk with your supervisor", "get me a human", "I need a real person",
// "transfer me to an agent", "let me talk to someone", "real person", "operator".
bool asks_for_human(std::string_view text, Words& words) {
  const auto request_verb = [](std::string_view w) {
    return word_in(w, {"speak", "talk", "get", "need", "want", "transfer", "connect", "put", "give"});
  };
  const auto person = [](std::string_view w) {
    return word_in(w, {"person", "human", "agent", "representative", "rep", "someone", "somebody",
                       "supervisor", "manager", "operator"});
  };
  const auto negation = [](std::string_view w) { return word_in(w, {"not", "don't", "dont", "never", "no"}); };
  words_of(text, words);
  for (size_t i = 0; i < words.size(); ++i) {
    if (word_is(words[i], "operator")) return true;
    if (i + 1 < words.size() && word_is(words[i], "real") && word_is(words[i + 1], "person")) return true;
    if (!request_verb(words[i])) continue;
    if (i > 0 && negation(words[i - 1])) continue;  // "I don't need a person"
    // The person noun follows within a few filler words ("to a real", "me through to the").
    for (size_t k = i + 1; k < words.size() && k <= i + 4; ++k)
      if (person(words[k])) return true;
  }
  return false;
}

bool sounds_frustrated(std::string_view text, Words& words) {
  words_of(text, words);
  for (std::string_view word : words)
    if (word_in(word, {"ridiculous", "frustrated", "frustrating", "angry", "useless"})) return true;
  return false;
}

bool has_phrase(const Words& words, std::initializer_list<std::string_view> phrase) {
  const size_t n = phrase.size();
  for (size_t i = 0; i + n <= words.size(); ++i) {
    size_t k = 0;
    for (std::string_view word : phrase) {
      if (!word_is(words[i + k], word)) break;
      ++k;
    }
    if (k == n) return true;
  }
  return false;
}

// "call me back", "email me", "send me a text": the channel a caller asked to be contacted on.
std::optional<FollowUpChannel> requested_channel(std::string_view text, Words& words) {
  words_of(text, words);
  // Not a bare "call back": "I'll call back later" is the caller's plan, not a request.
  if (has_phrase(words, {"call", "me", "back"}) || has_phrase(words, {"callback"}) ||
      has_phrase(words, {"ring", "me", "back"}) || has_phrase(words, {"give", "me", "a", "call"}))
    return FollowUpChannel::callback;
  if (has_phrase(words, {"email", "me"}) || has_phrase(words, {"e", "mail", "me"}) ||
      has_phrase(words, {"by", "email"}) || has_phrase(words, {"an", "email"}) ||
      has_phrase(words, {"via", "email"}))
    return FollowUpChannel::email;
  if (has_phrase(words, {"text", "me"}) || has_phrase(words, {"a", "text"}) ||
      has_phrase(words, {"by", "text"}) || has_phrase(words, {"sms"}) ||
      has_phrase(words, {"text", "message"}))
    return FollowUpChannel::sms;
  return std::nullopt;
}

std::optional<ReasonCategory> category_from_text(std::string_view text) {
  std::string key = lower_ascii(text);
  std::replace(key.begin(), key.end(), '-', '_');
  std::replace(key.begin(), key.end(), ' ', '_');
  static const std::pair<const char*, ReasonCategory> names[] = {
      {"user_request", ReasonCategory::user_request},
      {"missing_knowledge", ReasonCategory::missing_knowledge},
      {"missing_tools", ReasonCategory::missing_tools},
      {"unclear_instructions", ReasonCategory::unclear_instructions},
      {"prohibited_topic", ReasonCategory::prohibited_topic},
      {"frustration", ReasonCategory::frustration},
      {"other", ReasonCategory::other}};
  for (const auto& [name, category] : names)
    if (key == name) return category;
  return std::nullopt;
}

std::optional<FollowUpChannel> channel_from_text(std::string_view text) {
  const std::string key = lower_ascii(text);
  if (key == "email") return FollowUpChannel::email;
  if (key == "sms" || key == "text") return FollowUpChannel::sms;
  if (key == "callback" || key == "call" || key == "phone") return FollowUpChannel::callback;
  return std::nullopt;
}

}  // namespace

// ---- Field ----------------------------------------------------------------------------------------

Field Field::operator[](std::string_view key) const {
  Field child(node_, root_, errors_);
  if (present()) {
    if (const Value* member = node_->is_object() ? node_->find(key) : nullptr) {
      child.node_ = member;
      return child;
    }
    if (!node_->is_object()) type_error("an object");
  }
  child.missing_.reserve(missing_.size() + key.size() + 1);
  child.missing_ = missing_;
  child.missing_ += '/';
  child.missing_ += pointer_token(key);
  return child;
}

bool Field::expect_object() const { return holds(&Value::is_object, "an object"); }

const Value& Field::json() const {
  static const Value null_value;
  return missing_.empty() ? *node_ : null_value;
}

std::string Field::pointer() const { return root_->pointer_to(node_) + missing_; }

bool Field::holds(bool (Value::*test)() const, const char* expected) const {
  if (!present()) return false;
  if ((node_->*test)()) return true;
  type_error(expected);
  return false;
}

std::string_view Field::string() const {
  return holds(&Value::is_string, "a string") ? node_->string() : std::string_view();
}

std::optional<double> Field::number() const {
  if (!holds(&Value::is_number, "a number")) return std::nullopt;
  return node_->number();
}

std::optional<bool> Field::boolean() const {
  if (!holds(&Value::is_boolean, "a boolean")) return std::nullopt;
  return node_->boolean();
}

std::vector<Field> Field::items() const {
  std::vector<Field> out;
  if (!holds(&Value::is_array, "an array")) return out;
  out.reserve(node_->size());
  for (const Value& element : *node_) out.push_back(Field(&element, root_, errors_));
  return out;
}

std::vector<std::pair<std::string_view, Field>> Field::members() const {
  std::vector<std::pair<std::string_view, Field>> out;
  if (!holds(&Value::is_object, "an object")) return out;
  const auto members = node_->sorted_members();
  out.reserve(members.size());
  for (const Value* member : members) out.emplace_back(member->key(), Field(member, root_, errors_));
  return out;
}

// A document with thousands of bad entries gets a readable list (and stays linear to check),
// not thousands of errors.
constexpr size_t max_errors = 100;
const char* const too_many_errors = "more problems than these: only the first 100 are listed";

void Field::error(const std::string& message) const {
  if (errors_->size() >= max_errors) {
    if (errors_->back().message != too_many_errors) errors_->push_back({"", too_many_errors});
    return;
  }
  std::string at = pointer();
  for (const auto& e : *errors_)
    if (e.pointer == at && e.message == message) return;
  errors_->push_back({std::move(at), message});
}

void Field::type_error(const char* expected) const {
  error(std::string("must be ") + expected + ", not " + type_name(*node_));
}

void reject_event(const Field& event, const char* accepted) {
  if (event.present() && !event.json().is_string()) {
    event.string();  // records the type error
    return;
  }
  const std::string_view name = event.string();
  event.error((name.empty() ? std::string("missing") : "\"" + short_text(name, 60) + "\" cannot carry a handoff") +
              ": " + accepted);
}

bool require_object(const Field& field, const char* shape) {
  if (field.is_object()) return true;
  field.error((field.present() ? std::string("must be an object, not ") + type_name(field.json()) : std::string("missing")) +
              ": " + shape);
  return false;
}

std::string pointer_token(std::string_view key) {
  std::string out;
  out.reserve(key.size());
  for (char c : key) {
    if (c == '~') out += "~0";
    else if (c == '/') out += "~1";
    else out += c;
  }
  return out;
}

// ---- times ----------------------------------------------------------------------------------------

std::optional<int64_t> seconds_as_ms(const Field& seconds) { return scaled_to_ms(seconds, 1000.0); }
std::optional<int64_t> minutes_as_ms(const Field& minutes) { return scaled_to_ms(minutes, 60000.0); }
std::optional<int64_t> epoch_ms(const Field& millis) { return scaled_to_ms(millis, 1.0); }

std::optional<int64_t> iso_time_ms(const Field& text) {
  if (!text.present()) return std::nullopt;
  if (!text.json().is_string()) {
    text.string();  // records the type error
    return std::nullopt;
  }
  auto ms = parse_iso8601_ms(text.json().string());
  if (!ms) text.error("is not an ISO 8601 date-time with a zone (e.g. \"2026-01-01T00:01:02.000Z\")");
  return ms;
}

std::optional<int64_t> epoch_ms_or_iso(const Field& value) {
  if (value.present() && value.json().is_string()) return iso_time_ms(value);
  if (value.present() && !value.json().is_number()) {
    value.error(std::string("must be a number of epoch milliseconds or an ISO 8601 string, not ") +
                type_name(value.json()));
    return std::nullopt;
  }
  return epoch_ms(value);
}

// ---- text -----------------------------------------------------------------------------------------

std::string short_text(std::string_view text, size_t max_bytes) {
  std::string collapsed;
  collapsed.reserve(std::min(text.size(), max_bytes + 4));
  bool in_space = false;
  for (char c : text) {
    const bool space = c == ' ' || c == '\n' || c == '\t' || c == '\r';
    if (space) {
      in_space = !collapsed.empty();
      continue;
    }
    if (in_space) collapsed += ' ';
    in_space = false;
    collapsed += c;
    if (collapsed.size() > max_bytes + 4) break;  // enough to know it must be cut
  }
  if (collapsed.size() <= max_bytes) return collapsed;
  size_t cut = max_bytes;
  // Never cut inside a UTF-8 sequence: back up over continuation bytes (10xxxxxx).
  while (cut > 0 && (static_cast<unsigned char>(collapsed[cut]) & 0xC0) == 0x80) --cut;
  collapsed.resize(cut);
  return collapsed + "\xE2\x80\xA6";  // "…"
}

std::string short_result(const Field& result) {
  if (!result.present()) return {};
  if (result.json().is_string()) return short_text(result.json().string());
  return short_text(result.json().to_nlohmann().dump());
}

// ---- recognised keys ------------------------------------------------------------------------------

std::optional<Sentiment> sentiment_from_text(std::string_view text) {
  const std::string key = lower_ascii(text);
  if (key == "positive" || key == "happy") return Sentiment::happy;
  if (key == "negative" || key == "angry") return Sentiment::angry;
  if (key == "neutral") return Sentiment::neutral;
  return std::nullopt;
}

void read_key_values(const Field& object, Handoff& out, KeyFilter skip, std::string_view value_member) {
  // Recognised keys set a model field once (the first source wins, like custom fields).
  auto set_once = [](std::string& target, const Field& value) {
    const std::string_view text = value.string();  // read even when set: a wrong type is an error
    if (target.empty()) target = text;
  };
  for (const auto& [key, entry] : object.members()) {
    const Field value = value_member.empty() ? entry : entry[value_member];
    if (skip && skip(key)) continue;
    if (key == "session_id") set_once(out.session_id, value);
    else if (key == "org_id") set_once(out.org_id, value);
    else if (key == "contact_id") set_once(out.contact_id, value);
    else if (key == "caller_asked") set_once(out.handoff.reason.caller_asked, value);
    else if (key == "ai_unresolved") set_once(out.handoff.reason.ai_unresolved, value);
    else if (key == "follow_up_address") set_once(out.handoff.follow_up.address, value);
    else if (key == "caller_name") set_once(out.caller.name, value);
    else if (key == "caller_email") set_once(out.caller.email, value);
    else if (key == "session_url") set_once(out.call.session_url, value);
    else if (key == "handoff_reason") {
      const std::string_view text = value.string();
      if (text.empty()) continue;
      auto category = category_from_text(text);
      if (!category)
        value.error("'" + short_text(text, 60) +
                    "' is not a handoff reason (use user_request, missing_knowledge, missing_tools, "
                    "unclear_instructions, prohibited_topic, frustration or other)");
      else if (!out.handoff.reason.category)
        out.handoff.reason.category = category;
    } else if (key == "follow_up_channel") {
      const std::string_view text = value.string();
      if (text.empty()) continue;
      auto channel = channel_from_text(text);
      if (!channel)
        value.error("'" + short_text(text, 60) + "' is not a follow-up channel (use email, sms or callback)");
      else if (!out.handoff.follow_up.channel)
        out.handoff.follow_up.channel = channel;
    } else if (key == "sentiment") {
      const std::string_view text = value.string();
      if (text.empty()) continue;
      auto sentiment = sentiment_from_text(text);
      if (!sentiment)
        value.error("'" + short_text(text, 60) + "' is not a sentiment (use angry, neutral or happy)");
      else if (!out.handoff.sentiment)
        out.handoff.sentiment = sentiment;
    } else {
      const Value& j = value.json();
      if (!(j.is_string() || j.is_number() || j.is_boolean())) continue;
      std::string name(key);
      if (!out.custom_fields.count(name)) out.custom_fields.emplace(std::move(name), j.to_nlohmann());
    }
  }
}

void infer_reason(Handoff& out) {
  if (out.handoff.reason.category) return;
  Words words;
  for (const auto& turn : out.transcript) {
    if (turn.speaker != Speaker::caller || !asks_for_human(turn.text, words)) continue;
    out.handoff.reason.category = ReasonCategory::user_request;
    if (out.handoff.reason.caller_asked.empty()) out.handoff.reason.caller_asked = turn.text;
    return;
  }
  for (const auto& turn : out.transcript) {
    if (turn.speaker == Speaker::caller && sounds_frustrated(turn.text, words)) {
      out.handoff.reason.category = ReasonCategory::frustration;
      return;
    }
  }
}

void infer_follow_up(Handoff& out) {
  FollowUp& follow_up = out.handoff.follow_up;
  if (out.handoff.mode != Mode::logged_escalation || follow_up.channel) return;
  // The caller's latest stated preference wins ("email me… actually, call me back").
  Words words;
  for (auto it = out.transcript.rbegin(); it != out.transcript.rend() && !follow_up.channel; ++it)
    if (it->speaker == Speaker::caller) follow_up.channel = requested_channel(it->text, words);
  if (!follow_up.channel || !follow_up.address.empty()) return;
  follow_up.address = *follow_up.channel == FollowUpChannel::email ? out.caller.email : out.caller.phone;
}

std::string transfer_destination_text(std::string_view destination) {
  const std::string lower = lower_ascii(destination.substr(0, 5));
  if (lower.rfind("sip:", 0) == 0 || lower.rfind("sips:", 0) == 0) {
    auto params = destination.find(';');
    if (params != std::string_view::npos) destination = destination.substr(0, params);
  }
  return std::string(destination);
}

}  // namespace phone_handoff::adapters
