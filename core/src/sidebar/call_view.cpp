#include "sidebar/call_view.hpp"

#include <algorithm>
#include <cctype>
#include <limits>

#include "json/reader.hpp"
#include "json/writer.hpp"
#include "json_model.hpp"
#include "ops.hpp"
#include "sidebar/conversation_messages.hpp"
#include "sidebar/stable_order.hpp"
#include "sidebar/summary_text.hpp"
#include "sidebar/text_util.hpp"
#include "sidebar/transcript_lines.hpp"

namespace phone_handoff::sidebar {
namespace {

using json_reader::Value;

// Reads JSON text as nlohmann::json::parse(begin, end) did: a NUL byte ends the input (a NUL inside
// a string was an error there and stays one, the string being cut short), and nesting is not
// limited. False when the text is not one JSON value.
bool read_json(std::string_view text, json_reader::Document& doc) {
  return doc.parse(text.substr(0, text.find('\0')), std::numeric_limits<int>::max());
}

std::string config_string(const Value& config, std::string_view key) {
  const Value* value = config.find(key);
  if (!value || value->is_null()) return "";
  if (!value->is_string()) throw UsageError("bad_config", "config." + std::string(key) + " must be a string");
  return std::string(value->string());
}

bool valid_tag_prefix(const std::string& p) {
  return !p.empty() && p.size() <= 40 && std::all_of(p.begin(), p.end(), [](unsigned char c) {
    return std::isalnum(c) || c == '_';
  });
}

// RFC 3986 unreserved characters pass; everything else is percent-encoded.
std::string percent_encode(const std::string& s) {
  static const char* hex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~') out += static_cast<char>(c);
    else { out += '%'; out += hex[c >> 4]; out += hex[c & 15]; }
  }
  return out;
}

std::string digits_for_uri(const std::string& phone) {
  std::string out;
  for (char c : phone) {
    if (std::isdigit(static_cast<unsigned char>(c)) || (c == '+' && out.empty())) out += c;
    else if (c != ' ' && c != '-' && c != '(' && c != ')' && c != '.') return "";
  }
  return std::count_if(out.begin(), out.end(), [](char c) { return c != '+'; }) >= 5 ? out : "";
}

bool plausible_email(const std::string& s) {
  const size_t at = s.find('@');
  return at != std::string::npos && at > 0 && s.find('.', at) != std::string::npos &&
         s.find('@', at + 1) == std::string::npos &&
         std::none_of(s.begin(), s.end(), [](unsigned char c) {
           return c <= 0x20 || c == '<' || c == '>' || c == '"' || c == '?' || c == '&' || c == '#' ||
                  c == '/' || c == '\\' || c == ':' || c == 0x7F;
         });
}

// The one-click action for the follow-up: mailto:, sms: or tel: — only for a valid address.
std::string follow_up_href(const std::string& channel, const std::string& address) {
  if (channel == "email") return plausible_email(address) ? "mailto:" + address : "";
  const std::string phone = digits_for_uri(address);
  if (phone.empty()) return "";
  if (channel == "sms") return "sms:" + phone;
  if (channel == "callback") return "tel:" + phone;
  return "";
}

// Members with nothing to say are left out, as everywhere in the core's results.
void put(JsonWriter& out, std::string_view key, const std::string& value) {
  if (!value.empty()) out.member(key, value);
}

void write_summary(JsonWriter& out, const SummaryView& s, const SidebarConfig& config) {
  out.begin_object();
  put(out, "askedFor", s.asked_for);
  put(out, "unresolved", s.unresolved);
  put(out, "reason", s.reason.empty() ? s.reason_category : s.reason);
  put(out, "reasonCategory", s.reason_category);
  put(out, "mode", s.mode);
  put(out, "destination", s.destination);
  if (!s.follow_up_channel.empty() || !s.follow_up_address.empty()) {
    out.key("followUp").begin_object();
    put(out, "channel", s.follow_up_channel);
    put(out, "address", s.follow_up_address);
    put(out, "href", follow_up_href(s.follow_up_channel, s.follow_up_address));
    out.end_object();
  }
  // The ticket requester stands in only when the summary names no caller at all: mixing one
  // person's name with another's email would mislead the rep.
  const bool summary_has_caller = !s.caller_name.empty() || !s.caller_phone.empty() || !s.caller_email.empty();
  const std::string& caller_name = summary_has_caller ? s.caller_name : config.requester_name;
  const std::string& caller_email = summary_has_caller ? s.caller_email : config.requester_email;
  if (!caller_name.empty() || !s.caller_phone.empty() || !caller_email.empty()) {
    out.key("caller").begin_object();
    put(out, "name", caller_name);
    put(out, "phone", s.caller_phone);
    put(out, "email", caller_email);
    out.end_object();
  }
  put(out, "startedAt", s.started_at);
  if (s.duration_seconds) out.member("durationSeconds", *s.duration_seconds);
  put(out, "sentiment", s.sentiment);
  std::string session_url = s.session_url;
  const std::string& session_id = s.session_id.empty() ? config.session_id : s.session_id;
  if (session_url.empty() && !session_id.empty() && !config.session_url_template.empty()) {
    std::string url = config.session_url_template;
    const size_t at = url.find("{session_id}");
    if (at != std::string::npos) url.replace(at, 12, percent_encode(session_id));
    if (is_http_url(url)) session_url = url;
  }
  put(out, "sessionId", session_id);
  put(out, "sessionUrl", session_url);
  put(out, "recordingUrl", s.recording_url);
  put(out, "text", s.text);
  out.end_object();
}

void write_stats(JsonWriter& out, const std::vector<SidebarTurn>& in_order) {
  // Only who spoke when matters here: sort those, not the turns with their text.
  struct Timing {
    Speaker speaker;
    std::optional<int64_t> start_ms, end_ms;
  };
  std::vector<Timing> turns;
  turns.reserve(in_order.size());
  for (const SidebarTurn& t : in_order) turns.push_back({t.speaker, t.start_ms, t.end_ms});
  stable_sort_by(turns, [](const Timing& t) { return t.start_ms.value_or(0); });
  const bool any_end = std::any_of(turns.begin(), turns.end(), [](const Timing& t) { return t.end_ms.has_value(); });
  int64_t ai = 0, caller = 0, longest_silence = 0, latest_end = -1;
  for (size_t i = 0; i < turns.size(); ++i) {
    const Timing& t = turns[i];
    if (!t.start_ms) continue;
    // Without any end times, a turn is taken to last until the next one starts (an estimate).
    std::optional<int64_t> end = t.end_ms;
    if (!any_end && i + 1 < turns.size() && turns[i + 1].start_ms) end = turns[i + 1].start_ms;
    if (end && *end >= *t.start_ms) {
      if (t.speaker == Speaker::ai) ai += *end - *t.start_ms;
      if (t.speaker == Speaker::caller) caller += *end - *t.start_ms;
    }
    if (any_end) {
      if (latest_end >= 0 && *t.start_ms > latest_end) longest_silence = std::max(longest_silence, *t.start_ms - latest_end);
      if (end) latest_end = std::max(latest_end, *end);
    }
  }
  out.begin_object().member("aiTalkMs", ai).member("callerTalkMs", caller);
  if (any_end) out.member("longestSilenceMs", longest_silence);
  else out.member("estimated", true);
  out.member("turnCount", turns.size()).end_object();
}

// [{"pointer", "message"}, …], as every operation reports problems with its input.
void write_errors(JsonWriter& out, std::string_view key, const Errors& errors) {
  out.key(key).begin_array();
  for (const FieldError& e : errors) out.begin_object().member("pointer", e.pointer).member("message", e.message).end_object();
  out.end_array();
}

std::string not_a_handoff(const Errors& errors, std::string_view errors_key) {
  JsonWriter out;
  out.begin_object().member("isHandoff", false);
  if (!errors.empty()) write_errors(out, errors_key, errors);
  return out.end_object().take();
}

std::string call_id_of(const ConversationMessage& m) { return m.meta_string("phone_handoff_call_id"); }

}  // namespace

SidebarConfig sidebar_config_from_json(std::string_view text) {
  SidebarConfig config;
  if (trim(text).empty()) return config;
  json_reader::Document doc;
  if (!read_json(text, doc) || !doc.root().is_object()) throw UsageError("bad_config", "config must be a JSON object");
  const Value& j = doc.root();
  if (std::string p = config_string(j, "tagPrefix"); !p.empty()) {
    if (!valid_tag_prefix(p)) throw UsageError("bad_config", "config.tagPrefix must be 1-40 letters, digits or _");
    config.tag_prefix = p;
  }
  config.session_id = config_string(j, "sessionId");
  config.call_id = config_string(j, "callId");
  config.session_url_template = config_string(j, "sessionUrlTemplate");
  if (const Value* r = j.find("requester"); r && !r->is_null()) {
    if (!r->is_object()) throw UsageError("bad_config", "config.requester must be an object");
    config.requester_name = config_string(*r, "name");
    config.requester_email = config_string(*r, "email");
  }
  return config;
}

std::string build_call_view(std::string_view conversation, const SidebarConfig& config) {
  Errors errors;
  json_reader::Document doc;
  if (!read_json(conversation, doc)) {
    errors.push_back({"", "the ticket conversation is not valid JSON"});
    return not_a_handoff(errors, "errors");
  }
  const std::vector<ConversationMessage> messages = read_conversation(doc.root(), errors);
  if (messages.empty() && !errors.empty() && !doc.root().is_array()) return not_a_handoff(errors, "errors");

  // Sort the messages into summaries and transcript parts: by metadata first, by text otherwise.
  struct Summary { const ConversationMessage* message; SummaryView view; };
  std::vector<Summary> summaries;
  std::vector<const ConversationMessage*> transcript;
  for (const ConversationMessage& m : messages) {
    const std::string kind = m.meta_string("phone_handoff_kind");
    if (kind == "transcript") { transcript.push_back(&m); continue; }
    if (!kind.empty() && kind != "summary") continue;
    if (kind.empty() && m.authored_by_end_user()) continue;
    if (kind.empty() && TranscriptAssembler::looks_like_transcript(m.text)) { transcript.push_back(&m); continue; }
    SummaryView view;
    const int recognised = read_summary_text(m.text, view);
    if (kind.empty() && !looks_like_summary(recognised, view)) continue;
    read_summary_metadata(m, config.tag_prefix, view);
    summaries.push_back({&m, std::move(view)});
  }
  if (summaries.empty() && transcript.empty()) return not_a_handoff(errors, "warnings");

  // A ticket may hold several calls (the caller rang twice): the one the ticket field names, else
  // the latest one.
  const bool field_call_present =
      !config.call_id.empty() &&
      (std::any_of(transcript.begin(), transcript.end(), [&](const auto* m) { return call_id_of(*m) == config.call_id; }) ||
       std::any_of(summaries.begin(), summaries.end(), [&](const Summary& s) { return s.view.call_id == config.call_id; }));
  std::string call_id = field_call_present ? config.call_id : summaries.empty() ? call_id_of(*transcript.back()) : summaries.back().view.call_id;
  if (call_id.empty() && !transcript.empty()) call_id = call_id_of(*transcript.back());
  std::vector<const ConversationMessage*> parts;
  for (const ConversationMessage* m : transcript)
    if (call_id.empty() || call_id_of(*m).empty() || call_id_of(*m) == call_id) parts.push_back(m);
  // Parts normally arrive in order; when numbered, their numbers are the truth.
  if (std::all_of(parts.begin(), parts.end(), [](const auto* m) { return m->meta_int("phone_handoff_part").has_value(); })) {
    stable_sort_by(parts, [](const ConversationMessage* m) { return *m->meta_int("phone_handoff_part"); });
  }

  SummaryView summary;
  for (auto it = summaries.rbegin(); it != summaries.rend(); ++it) {
    if (call_id.empty() || it->view.call_id.empty() || it->view.call_id == call_id) { summary = it->view; break; }
  }
  TranscriptAssembler assembler;
  for (const ConversationMessage* m : parts) assembler.add_message(*m);
  assembler.finish(summary.caller_name.empty() ? config.requester_name : summary.caller_name);

  if (!summary.duration_seconds && !assembler.turns().empty()) {
    int64_t last_ms = 0;
    for (const SidebarTurn& t : assembler.turns()) last_ms = std::max(last_ms, t.end_ms.value_or(t.start_ms.value_or(0)));
    if (last_ms > 0) summary.duration_seconds = (last_ms + 999) / 1000;
  }

  // About 120 bytes of JSON per turn (text, speaker, times) on top of the text itself.
  JsonWriter out(conversation.size() + 128 * assembler.turns().size() + 1024);
  out.begin_object().member("isHandoff", true);
  put(out, "callId", call_id);
  write_summary(out.key("summary"), summary, config);
  out.key("turns").begin_array();
  for (const SidebarTurn& t : assembler.turns()) {
    out.begin_object()
        .member("seq", t.seq)
        .member("speaker", to_string(t.speaker))
        .member("speakerName", t.speaker_name)
        .member("text", t.text);
    if (t.start_ms) out.member("startMs", *t.start_ms);
    if (t.end_ms) out.member("endMs", *t.end_ms);
    out.end_object();
  }
  out.end_array().key("toolCalls").begin_array();
  for (const SidebarToolCall& c : assembler.tool_calls()) {
    out.begin_object().member("name", c.name);
    if (c.at_ms) out.member("atMs", *c.at_ms);
    put(out, "result", c.result);
    out.end_object();
  }
  out.end_array();
  write_stats(out.key("stats"), assembler.turns());
  if (!errors.empty()) write_errors(out, "warnings", errors);
  return out.end_object().take();
}

}  // namespace phone_handoff::sidebar
