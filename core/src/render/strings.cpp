#include "render/strings.hpp"

#include <array>
#include <cstdint>
#include <map>

namespace phone_handoff::render {
namespace {

using Table = std::array<const char*, static_cast<size_t>(Text::count_)>;

// The order follows enum Text exactly (checked by the size of the array and by the tests).
const Table english = {
    "\xF0\x9F\x93\x9E AI phone handoff \xE2\x80\x94 Live transfer to {}",
    "\xF0\x9F\x93\x9E AI phone handoff \xE2\x80\x94 Live transfer",
    "\xF0\x9F\x93\x9E AI phone handoff \xE2\x80\x94 Logged escalation",
    "Caller asked for: {}",
    "AI could not resolve: {}",
    "Reason: {}",
    "Follow-up: {}",
    "{} to {}",
    "Caller: {}",
    "Call: {}",
    "started {}",
    "Sentiment: {}",
    "Summary: {}",
    "View session: {}",
    "Recording: {}",
    "Caller", "Agent", "System", "Tool",
    "Email", "SMS", "Callback",
    "Angry", "Neutral", "Happy",
    "User asked for a person",
    "The AI lacked the knowledge to answer",
    "The AI lacked a tool it needed",
    "The AI's instructions did not cover this",
    "A topic the AI may not handle",
    "The caller was frustrated",
    "Other",
    "Live transfer", "Logged escalation",
    "Phone call from {}",
    "AI phone call",
    "{} h {} min",
    "{} min {} s",
    "{} s",
};

// Locale tag (lower case) → table. A table for another language may leave entries nullptr;
// those fall back to English.
const std::map<std::string, const Table*>& tables() {
  static const std::map<std::string, const Table*> t = {{"en", &english}};
  return t;
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

const Table* find_table(std::string_view locale) {
  std::string tag = lower(locale);
  for (char& c : tag)
    if (c == '_') c = '-';
  while (!tag.empty()) {
    auto it = tables().find(tag);
    if (it != tables().end()) return it->second;
    const size_t dash = tag.rfind('-');
    if (dash == std::string::npos) break;
    tag.resize(dash);
  }
  return &english;
}

}  // namespace

std::string text(std::string_view locale, Text key) {
  const size_t index = static_cast<size_t>(key);
  const Table* table = find_table(locale);
  const char* s = (*table)[index] ? (*table)[index] : english[index];
  return s ? s : "";
}

std::string format(std::string_view locale, Text key, std::initializer_list<std::string_view> values) {
  const std::string pattern = text(locale, key);
  std::string out;
  auto value = values.begin();
  for (size_t i = 0; i < pattern.size(); ++i) {
    if (pattern[i] == '{' && i + 1 < pattern.size() && pattern[i + 1] == '}' && value != values.end()) {
      out += *value++;
      ++i;
    } else {
      out += pattern[i];
    }
  }
  return out;
}

Text channel_text(FollowUpChannel c) {
  switch (c) {
    case FollowUpChannel::email: return Text::channel_email;
    case FollowUpChannel::sms: return Text::channel_sms;
    case FollowUpChannel::callback: return Text::channel_callback;
  }
  return Text::channel_email;
}

Text sentiment_text(Sentiment s) {
  switch (s) {
    case Sentiment::angry: return Text::sentiment_angry;
    case Sentiment::neutral: return Text::sentiment_neutral;
    case Sentiment::happy: return Text::sentiment_happy;
  }
  return Text::sentiment_neutral;
}

Text reason_text(ReasonCategory r) {
  switch (r) {
    case ReasonCategory::user_request: return Text::reason_user_request;
    case ReasonCategory::missing_knowledge: return Text::reason_missing_knowledge;
    case ReasonCategory::missing_tools: return Text::reason_missing_tools;
    case ReasonCategory::unclear_instructions: return Text::reason_unclear_instructions;
    case ReasonCategory::prohibited_topic: return Text::reason_prohibited_topic;
    case ReasonCategory::frustration: return Text::reason_frustration;
    case ReasonCategory::other: return Text::reason_other;
  }
  return Text::reason_other;
}

Text mode_text(Mode m) {
  return m == Mode::live_transfer ? Text::mode_live_transfer : Text::mode_logged_escalation;
}

std::string duration_text(std::string_view locale, int64_t seconds) {
  if (seconds < 0) seconds = 0;
  const int64_t h = seconds / 3600, m = seconds % 3600 / 60, s = seconds % 60;
  if (h > 0) return format(locale, Text::duration_hours, {std::to_string(h), std::to_string(m)});
  if (m > 0) return format(locale, Text::duration_minutes, {std::to_string(m), std::to_string(s)});
  return format(locale, Text::duration_seconds, {std::to_string(s)});
}

}  // namespace phone_handoff::render
