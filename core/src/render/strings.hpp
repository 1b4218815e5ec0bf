// Every user-visible string render writes, in one table per locale. English is complete; another
// language is added by adding a table in strings.cpp (missing entries fall back to English).
// Templates use "{}" for the one value they take.
#pragma once

#include <string>
#include <string_view>
#include <initializer_list>
#include <cstdint>

#include "phone_handoff/model.hpp"

namespace phone_handoff::render {

enum class Text {
  title_live_transfer,        // "📞 AI phone handoff — Live transfer to {}"
  title_live_transfer_bare,   // no destination known
  title_logged_escalation,
  caller_asked,               // "Caller asked for: {}"
  ai_unresolved,
  reason,                     // "Reason: {}"
  follow_up,                  // "Follow-up: {}" (value: "SMS to +1…")
  follow_up_to,               // "{} to {}": channel, then address ("SMS to +1…")
  caller,
  call,                       // "Call: {}"
  call_started,               // "started {}"
  sentiment,
  summary,
  view_session,
  recording,
  speaker_caller, speaker_human_agent, speaker_system, speaker_tool,
  channel_email, channel_sms, channel_callback,
  sentiment_angry, sentiment_neutral, sentiment_happy,
  reason_user_request, reason_missing_knowledge, reason_missing_tools,
  reason_unclear_instructions, reason_prohibited_topic, reason_frustration, reason_other,
  mode_live_transfer, mode_logged_escalation,
  conversation_title,         // "Phone call from {}"
  conversation_title_bare,    // no caller known
  duration_hours,             // "{h} h {m} min" — see duration_text()
  duration_minutes,           // "{m} min {s} s"
  duration_seconds,           // "{s} s"
  count_                      // keep last: the table size
};

// The string for `key` in `locale` ("pt-BR" tries "pt-BR", then "pt", then English).
std::string text(std::string_view locale, Text key);

// `text(locale, key)` with each "{}" replaced by the next value, in order.
std::string format(std::string_view locale, Text key, std::initializer_list<std::string_view> values);

Text channel_text(FollowUpChannel);
Text sentiment_text(Sentiment);
Text reason_text(ReasonCategory);
Text mode_text(Mode);

// "2 min 8 s", "45 s", "1 h 3 min".
std::string duration_text(std::string_view locale, int64_t seconds);

}  // namespace phone_handoff::render
