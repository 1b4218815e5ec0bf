// Writing the canonical handoff JSON (docs/canonical-webhook.md): absent values are omitted,
// keys in the documented order. Reading lives in json_model.cpp.
#include "json_model.hpp"

#include "time_util.hpp"

namespace phone_handoff {
namespace {

using nlohmann::ordered_json;

void put(ordered_json& j, const char* key, const std::string& value) {
  if (!value.empty()) j[key] = value;
}
void put(ordered_json& j, const char* key, const std::optional<int64_t>& value) {
  if (value) j[key] = *value;
}
void put_time(ordered_json& j, const char* key, const std::optional<int64_t>& unix_ms) {
  if (unix_ms) j[key] = format_iso8601_ms(*unix_ms);
}
template <class E>
void put_enum(ordered_json& j, const char* key, const std::optional<E>& value) {
  if (value) j[key] = to_string(*value);
}
void put_object(ordered_json& j, const char* key, ordered_json&& child) {
  if (!child.empty()) j[key] = std::move(child);
}

}  // namespace

ordered_json errors_to_json(const Errors& errors) {
  ordered_json list = ordered_json::array();
  for (const auto& e : errors) list.push_back({{"pointer", e.pointer}, {"message", e.message}});
  return list;
}

ordered_json handoff_to_json(const Handoff& h) {
  ordered_json j;
  j["version"] = 1;
  put(j, "source", h.source);
  put(j, "source_event", h.source_event);
  put(j, "event_id", h.event_id);
  put(j, "session_id", h.session_id);
  put(j, "org_id", h.org_id);
  put(j, "contact_id", h.contact_id);
  put(j, "call_id", h.call_id);

  ordered_json agent = ordered_json::object();
  put(agent, "id", h.agent.id);
  put(agent, "name", h.agent.name);
  put_object(j, "agent", std::move(agent));

  ordered_json call = ordered_json::object();
  put_enum(call, "direction", h.call.direction);
  put(call, "from", h.call.from);
  put(call, "to", h.call.to);
  put_time(call, "started_at", h.call.started_at_unix_ms);
  put_time(call, "ended_at", h.call.ended_at_unix_ms);
  put(call, "language", h.call.language);
  put(call, "recording_url", h.call.recording_url);
  put(call, "session_url", h.call.session_url);
  put_object(j, "call", std::move(call));

  ordered_json caller = ordered_json::object();
  put(caller, "phone", h.caller.phone);
  put(caller, "name", h.caller.name);
  put(caller, "email", h.caller.email);
  put_object(j, "caller", std::move(caller));

  const HandoffDetails& d = h.handoff;
  ordered_json handoff;
  handoff["mode"] = to_string(d.mode);
  put_time(handoff, "requested_at", d.requested_at_unix_ms);
  put(handoff, "transfer_destination", d.transfer_destination);
  ordered_json follow_up = ordered_json::object();
  put_enum(follow_up, "channel", d.follow_up.channel);
  put(follow_up, "address", d.follow_up.address);
  put_object(handoff, "follow_up", std::move(follow_up));
  ordered_json reason = ordered_json::object();
  put_enum(reason, "category", d.reason.category);
  put(reason, "caller_asked", d.reason.caller_asked);
  put(reason, "ai_unresolved", d.reason.ai_unresolved);
  put_object(handoff, "reason", std::move(reason));
  put(handoff, "summary", d.summary);
  put_enum(handoff, "sentiment", d.sentiment);
  j["handoff"] = std::move(handoff);

  if (!h.transcript.empty()) {
    ordered_json& transcript = j["transcript"] = ordered_json::array();
    for (const Turn& t : h.transcript) {
      ordered_json turn;
      turn["speaker"] = to_string(t.speaker);
      turn["text"] = t.text;  // always written: an empty text is still a (reported) turn
      put(turn, "start_ms", t.start_ms);
      put(turn, "end_ms", t.end_ms);
      put_time(turn, "at", t.at_unix_ms);
      transcript.push_back(std::move(turn));
    }
  }
  if (!h.tool_calls.empty()) {
    ordered_json& tools = j["tool_calls"] = ordered_json::array();
    for (const ToolCall& t : h.tool_calls) {
      ordered_json tool;
      tool["name"] = t.name;
      put(tool, "at_ms", t.at_ms);
      put(tool, "result", t.result);
      tools.push_back(std::move(tool));
    }
  }
  if (!h.custom_fields.empty()) {
    ordered_json& fields = j["custom_fields"] = ordered_json::object();
    for (const auto& [key, value] : h.custom_fields) fields[key] = ordered_json(value);
  }
  return j;
}

}  // namespace phone_handoff
