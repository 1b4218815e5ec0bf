#include "sidebar/call_view.hpp"

#include <algorithm>
#include <cctype>

#include "json_model.hpp"
#include "ops.hpp"
#include "sidebar/conversation_messages.hpp"
#include "sidebar/summary_text.hpp"
#include "sidebar/text_util.hpp"
#include "sidebar/transcript_lines.hpp"

namespace phone_handoff::sidebar {
namespace {

using nlohmann::json;
using nlohmann::ordered_json;

std::string config_string(const json& config, const char* key) {
  auto it = config.find(key);
  if (it == config.end() || it->is_null()) return "";
  if (!it->is_string()) throw UsageError("bad_config", std::string("config.") + key + " must be a string");
  return it->get<std::string>();
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

void put(ordered_json& j, const char* key, const std::string& value) {
  if (!value.empty()) j[key] = value;
}

ordered_json summary_json(const SummaryView& s, const SidebarConfig& config) {
  ordered_json j = ordered_json::object();
  put(j, "askedFor", s.asked_for);
  put(j, "unresolved", s.unresolved);
  put(j, "reason", s.reason.empty() ? s.reason_category : s.reason);
  put(j, "reasonCategory", s.reason_category);
  put(j, "mode", s.mode);
  put(j, "destination", s.destination);
  if (!s.follow_up_channel.empty() || !s.follow_up_address.empty()) {
    ordered_json f = ordered_json::object();
    put(f, "channel", s.follow_up_channel);
    put(f, "address", s.follow_up_address);
    put(f, "href", follow_up_href(s.follow_up_channel, s.follow_up_address));
    j["followUp"] = f;
  }
  // The ticket requester stands in only when the summary names no caller at all: mixing one
  // person's name with another's email would mislead the rep.
  const bool summary_has_caller = !s.caller_name.empty() || !s.caller_phone.empty() || !s.caller_email.empty();
  ordered_json caller = ordered_json::object();
  put(caller, "name", summary_has_caller ? s.caller_name : config.requester_name);
  put(caller, "phone", s.caller_phone);
  put(caller, "email", summary_has_caller ? s.caller_email : config.requester_email);
  if (!caller.empty()) j["caller"] = caller;
  put(j, "startedAt", s.started_at);
  if (s.duration_seconds) j["durationSeconds"] = *s.duration_seconds;
  put(j, "sentiment", s.sentiment);
  std::string session_url = s.session_url;
  const std::string session_id = s.session_id.empty() ? config.session_id : s.session_id;
  if (session_url.empty() && !session_id.empty() && !config.session_url_template.empty()) {
    std::string url = config.session_url_template;
    const size_t at = url.find("{session_id}");
    if (at != std::string::npos) url.replace(at, 12, percent_encode(session_id));
    if (is_http_url(url)) session_url = url;
  }
  put(j, "sessionId", session_id);
  put(j, "sessionUrl", session_url);
  put(j, "recordingUrl", s.recording_url);
  put(j, "text", s.text);
  return j;
}

ordered_json stats_json(std::vector<SidebarTurn> turns) {
  std::stable_sort(turns.begin(), turns.end(), [](const SidebarTurn& a, const SidebarTurn& b) {
    return a.start_ms.value_or(0) < b.start_ms.value_or(0);
  });
  const bool any_end = std::any_of(turns.begin(), turns.end(), [](const SidebarTurn& t) { return t.end_ms.has_value(); });
  int64_t ai = 0, caller = 0, longest_silence = 0, latest_end = -1;
  for (size_t i = 0; i < turns.size(); ++i) {
    const SidebarTurn& t = turns[i];
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
  ordered_json j;
  j["aiTalkMs"] = ai;
  j["callerTalkMs"] = caller;
  if (any_end) j["longestSilenceMs"] = longest_silence;
  else j["estimated"] = true;
  j["turnCount"] = turns.size();
  return j;
}

std::string call_id_of(const ConversationMessage& m) { return m.meta_string("phone_handoff_call_id"); }

}  // namespace

SidebarConfig sidebar_config_from_json(std::string_view text) {
  SidebarConfig config;
  if (trim(text).empty()) return config;
  const json j = json::parse(text.begin(), text.end(), nullptr, false);
  if (j.is_discarded() || !j.is_object()) throw UsageError("bad_config", "config must be a JSON object");
  if (std::string p = config_string(j, "tagPrefix"); !p.empty()) {
    if (!valid_tag_prefix(p)) throw UsageError("bad_config", "config.tagPrefix must be 1-40 letters, digits or _");
    config.tag_prefix = p;
  }
  config.session_id = config_string(j, "sessionId");
  config.call_id = config_string(j, "callId");
  config.session_url_template = config_string(j, "sessionUrlTemplate");
  if (auto r = j.find("requester"); r != j.end() && !r->is_null()) {
    if (!r->is_object()) throw UsageError("bad_config", "config.requester must be an object");
    config.requester_name = config_string(*r, "name");
    config.requester_email = config_string(*r, "email");
  }
  return config;
}

ordered_json build_call_view(std::string_view conversation, const SidebarConfig& config) {
  Errors errors;
  const json input = json::parse(conversation.begin(), conversation.end(), nullptr, false);
  if (input.is_discarded()) {
    errors.push_back({"", "the ticket conversation is not valid JSON"});
    return {{"isHandoff", false}, {"errors", errors_to_json(errors)}};
  }
  const std::vector<ConversationMessage> messages = read_conversation(input, errors);
  if (messages.empty() && !errors.empty() && !input.is_array()) {
    return {{"isHandoff", false}, {"errors", errors_to_json(errors)}};
  }

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
  if (summaries.empty() && transcript.empty()) {
    ordered_json out = {{"isHandoff", false}};
    if (!errors.empty()) out["warnings"] = errors_to_json(errors);
    return out;
  }

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
    std::stable_sort(parts.begin(), parts.end(), [](const auto* a, const auto* b) {
      return *a->meta_int("phone_handoff_part") < *b->meta_int("phone_handoff_part");
    });
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

  ordered_json out;
  out["isHandoff"] = true;
  put(out, "callId", call_id);
  out["summary"] = summary_json(summary, config);
  ordered_json turns = ordered_json::array();
  for (const SidebarTurn& t : assembler.turns()) {
    ordered_json turn;
    turn["seq"] = t.seq;
    turn["speaker"] = to_string(t.speaker);
    turn["speakerName"] = t.speaker_name;
    turn["text"] = t.text;
    if (t.start_ms) turn["startMs"] = *t.start_ms;
    if (t.end_ms) turn["endMs"] = *t.end_ms;
    turns.push_back(std::move(turn));
  }
  out["turns"] = std::move(turns);
  ordered_json tools = ordered_json::array();
  for (const SidebarToolCall& c : assembler.tool_calls()) {
    ordered_json tool;
    tool["name"] = c.name;
    if (c.at_ms) tool["atMs"] = *c.at_ms;
    put(tool, "result", c.result);
    tools.push_back(std::move(tool));
  }
  out["toolCalls"] = std::move(tools);
  out["stats"] = stats_json(assembler.turns());
  if (!errors.empty()) out["warnings"] = errors_to_json(errors);
  return out;
}

}  // namespace phone_handoff::sidebar
