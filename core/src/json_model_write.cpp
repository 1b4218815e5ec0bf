// Writing the canonical handoff JSON (docs/canonical-webhook.md): absent values are omitted,
// keys in the documented order. Reading lives in json_model.cpp.
#include "json_model.hpp"

#include "json/writer.hpp"
#include "time_util.hpp"

namespace phone_handoff {
namespace {

using nlohmann::ordered_json;

// Each writes its member only when the value is present (absent values are omitted).
template <class Out>
void put(Out& out, const char* key, const std::string& value) {
  if (!value.empty()) out.member(key, value);
}
template <class Out>
void put(Out& out, const char* key, const std::optional<int64_t>& value) {
  if (value) out.member(key, *value);
}
template <class Out>
void put_time(Out& out, const char* key, const std::optional<int64_t>& unix_ms) {
  if (unix_ms) out.member(key, format_iso8601_ms(*unix_ms));
}
template <class Out, class E>
void put_enum(Out& out, const char* key, const std::optional<E>& value) {
  if (value) out.member(key, to_string(*value));
}

// The whole field list, once, for any writer (JsonWriter: text; DomWriter: a DOM).
template <class Out>
void write_handoff_to(Out& out, const Handoff& h) {
  out.begin_object().member("version", 1);
  put(out, "source", h.source);
  put(out, "source_event", h.source_event);
  put(out, "event_id", h.event_id);
  put(out, "session_id", h.session_id);
  put(out, "org_id", h.org_id);
  put(out, "contact_id", h.contact_id);
  put(out, "call_id", h.call_id);

  if (!h.agent.id.empty() || !h.agent.name.empty()) {
    out.key("agent").begin_object();
    put(out, "id", h.agent.id);
    put(out, "name", h.agent.name);
    out.end_object();
  }

  const CallInfo& c = h.call;
  if (c.direction || !c.from.empty() || !c.to.empty() || c.started_at_unix_ms || c.ended_at_unix_ms ||
      !c.language.empty() || !c.recording_url.empty() || !c.session_url.empty()) {
    out.key("call").begin_object();
    put_enum(out, "direction", c.direction);
    put(out, "from", c.from);
    put(out, "to", c.to);
    put_time(out, "started_at", c.started_at_unix_ms);
    put_time(out, "ended_at", c.ended_at_unix_ms);
    put(out, "language", c.language);
    put(out, "recording_url", c.recording_url);
    put(out, "session_url", c.session_url);
    out.end_object();
  }

  if (!h.caller.phone.empty() || !h.caller.name.empty() || !h.caller.email.empty()) {
    out.key("caller").begin_object();
    put(out, "phone", h.caller.phone);
    put(out, "name", h.caller.name);
    put(out, "email", h.caller.email);
    out.end_object();
  }

  const HandoffDetails& d = h.handoff;
  out.key("handoff").begin_object().member("mode", to_string(d.mode));
  put_time(out, "requested_at", d.requested_at_unix_ms);
  put(out, "transfer_destination", d.transfer_destination);
  if (d.follow_up.channel || !d.follow_up.address.empty()) {
    out.key("follow_up").begin_object();
    put_enum(out, "channel", d.follow_up.channel);
    put(out, "address", d.follow_up.address);
    out.end_object();
  }
  if (d.reason.category || !d.reason.caller_asked.empty() || !d.reason.ai_unresolved.empty()) {
    out.key("reason").begin_object();
    put_enum(out, "category", d.reason.category);
    put(out, "caller_asked", d.reason.caller_asked);
    put(out, "ai_unresolved", d.reason.ai_unresolved);
    out.end_object();
  }
  put(out, "summary", d.summary);
  put_enum(out, "sentiment", d.sentiment);
  out.end_object();

  if (!h.transcript.empty()) {
    out.key("transcript").begin_array();
    for (const Turn& t : h.transcript) {
      out.begin_object().member("speaker", to_string(t.speaker));
      out.member("text", t.text);  // always written: an empty text is still a (reported) turn
      put(out, "start_ms", t.start_ms);
      put(out, "end_ms", t.end_ms);
      put_time(out, "at", t.at_unix_ms);
      out.end_object();
    }
    out.end_array();
  }
  if (!h.tool_calls.empty()) {
    out.key("tool_calls").begin_array();
    for (const ToolCall& t : h.tool_calls) {
      out.begin_object().member("name", t.name);
      put(out, "at_ms", t.at_ms);
      put(out, "result", t.result);
      out.end_object();
    }
    out.end_array();
  }
  if (!h.custom_fields.empty()) {
    out.key("custom_fields").begin_object();
    for (const auto& [key, value] : h.custom_fields) out.member(key, value);
    out.end_object();
  }
  out.end_object();
}

}  // namespace

ordered_json errors_to_json(const Errors& errors) {
  ordered_json list = ordered_json::array();
  for (const auto& e : errors) list.push_back({{"pointer", e.pointer}, {"message", e.message}});
  return list;
}

ordered_json handoff_to_json(const Handoff& h) {
  DomWriter out;
  write_handoff_to(out, h);
  return out.take();
}

void write_handoff(JsonWriter& out, const Handoff& h) { write_handoff_to(out, h); }

}  // namespace phone_handoff
