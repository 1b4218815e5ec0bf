// Vapi server messages ({"message": {"type": …}}) → raw Handoff. Field mapping and quirks:
// docs/sources.md#vapi.
#include <map>

#include "adapters/adapter_util.hpp"
#include "adapters/adapters.hpp"

namespace phone_handoff::adapters {
namespace {

// endedReason values that mean the caller was handed to the transfer destination. Failed or
// abandoned transfers (error-transfer-failed, operator-busy, customer-ended-call-during-transfer,
// …) are not here: nobody picked the caller up, so the rep has to follow up instead.
bool ended_by_forwarding(std::string_view reason) {
  return reason == "assistant-forwarded-call" ||
         reason == "assistant-request-returned-forwarding-phone-number" ||
         reason == "call.ringing.hook-executed-transfer" ||
         reason == "call.ending.hook-executed-transfer";
}

bool transfer_failed(std::string_view reason) {
  return reason.find("transfer-failed") != std::string_view::npos ||
         reason.find("error-warm-transfer") != std::string_view::npos ||
         reason.rfind("call.forwarding.", 0) == 0 ||
         reason.find("during-transfer") != std::string_view::npos ||
         reason.find("warm-transfer-attempt") != std::string_view::npos ||
         reason.find("before-warm-transfer") != std::string_view::npos;
}

// {type:"number", number} | {type:"sip", sipUri}; an assistant destination is an AI, not a human.
std::string destination_of(const Field& destination) {
  const std::string_view type = destination["type"].string();
  if (type == "number") return std::string(destination["number"].string());
  if (type == "sip") return transfer_destination_text(destination["sipUri"].string());
  return {};
}

std::optional<Direction> direction_of(std::string_view call_type) {
  if (call_type == "inboundPhoneCall") return Direction::inbound;
  if (call_type == "outboundPhoneCall") return Direction::outbound;
  if (call_type == "webCall") return Direction::web;
  return std::nullopt;
}

void read_messages(const Field& messages, Handoff& out) {
  std::map<std::string_view, size_t> tool_call_by_id;  // toolCalls[].id → index in out.tool_calls
  bool spoken = false;                           // a non-system message was seen
  for (const Field& message : messages.items()) {
    const std::string_view role = message["role"].string();
    const auto start_ms = seconds_as_ms(message["secondsFromStart"]);
    if (role == "tool_calls") {
      for (const Field& call : message["toolCalls"].items()) {
        ToolCall tool{std::string(call["function"]["name"].string()), start_ms, {}};
        const std::string_view id = call["id"].string();
        if (!id.empty()) tool_call_by_id[id] = out.tool_calls.size();
        out.tool_calls.push_back(std::move(tool));
      }
      continue;
    }
    if (role == "tool_call_result") {
      const std::string result = short_result(message["result"]);
      auto known = tool_call_by_id.find(message["toolCallId"].string());
      if (known != tool_call_by_id.end()) {
        out.tool_calls[known->second].result = result;
      } else {  // a result whose call was not in the artifact: keep it rather than lose it
        out.tool_calls.push_back({std::string(message["name"].string()), start_ms, result});
      }
      continue;
    }
    Turn turn;
    if (role == "bot" || role == "assistant") turn.speaker = Speaker::ai;
    else if (role == "user") turn.speaker = Speaker::caller;
    else if (role == "system") turn.speaker = Speaker::system;
    else continue;  // roles Vapi may add later carry no speech we know how to attribute

    // The assistant's system prompt opens the artifact (role system at t=0, before anyone
    // speaks): it is configuration, not part of the conversation.
    const bool prompt = role == "system" && (!spoken || (start_ms && *start_ms == 0));
    if (role != "system") spoken = true;
    if (prompt) continue;

    turn.text = message["message"].string();
    if (turn.text.empty()) continue;  // nothing was said (e.g. an interrupted, empty bot turn)
    turn.start_ms = start_ms;
    turn.at_unix_ms = epoch_ms(message["time"]);
    const auto end_unix_ms = epoch_ms(message["endTime"]);
    // `duration` is documented as seconds but delivered as ms; endTime - time is unambiguous.
    if (turn.start_ms && turn.at_unix_ms && end_unix_ms && *end_unix_ms >= *turn.at_unix_ms)
      turn.end_ms = *turn.start_ms + (*end_unix_ms - *turn.at_unix_ms);
    out.transcript.push_back(std::move(turn));
  }
}

}  // namespace

bool vapi(const json_reader::Value& doc, Handoff& out, Errors& errors) {
  const size_t errors_before = errors.size();
  const Field root = Field::root(doc, errors);
  const char* shape = "a Vapi server message looks like {\"message\": {\"type\": \"end-of-call-report\", …}}";
  if (!require_object(root, shape)) return false;
  const Field message = root["message"];
  if (!require_object(message, shape)) return false;
  const Field type_field = message["type"];
  const std::string_view type = type_field.string();
  if (type != "end-of-call-report" && type != "status-update" && type != "transfer-destination-request") {
    reject_event(type_field,
                 "accepted events are end-of-call-report, status-update (status \"forwarding\") and "
                 "transfer-destination-request");
    return false;
  }
  if (type == "status-update") {
    const Field status = message["status"];
    const std::string_view value = status.string();
    if (value != "forwarding") {
      if (errors.size() == errors_before)
        status.error("a status-update carries a handoff only while forwarding (status \"forwarding\"), got " +
                     (value.empty() ? std::string("none") : "\"" + short_text(value, 60) + "\"") +
                     "; the end-of-call-report follows for other endings");
      return false;
    }
  }

  out.source = "vapi";
  out.source_event = type;
  const Field call = message["call"];
  out.call_id = call["id"].string();
  if (out.call_id.empty() && errors.size() == errors_before)
    call["id"].error("missing: the Vapi call id (message.call.id) identifies the handoff");

  // Who and where.
  out.call.direction = direction_of(call["type"].string());
  std::string_view customer = call["customer"]["number"].string();
  if (customer.empty()) customer = message["customer"]["number"].string();
  out.caller.phone = customer;
  out.caller.name = call["customer"]["name"].string();
  if (out.caller.name.empty()) out.caller.name = message["customer"]["name"].string();
  const std::string_view business = message["phoneNumber"]["number"].string();
  if (out.call.direction == Direction::outbound) {
    out.call.from = business;
    out.call.to = customer;
  } else if (out.call.direction != Direction::web) {
    out.call.from = customer;
    out.call.to = business;
  }
  const Field assistant = message["assistant"];
  out.agent.id = assistant["id"].string();
  if (out.agent.id.empty()) out.agent.id = call["assistantId"].string();
  out.agent.name = assistant["name"].string();

  // When.
  out.call.started_at_unix_ms = iso_time_ms(message["startedAt"]);
  if (!out.call.started_at_unix_ms) out.call.started_at_unix_ms = iso_time_ms(call["startedAt"]);
  out.call.ended_at_unix_ms = iso_time_ms(message["endedAt"]);
  if (!out.call.ended_at_unix_ms) out.call.ended_at_unix_ms = iso_time_ms(call["endedAt"]);
  const auto timestamp = epoch_ms_or_iso(message["timestamp"]);
  // A live event is the moment of the request; the report arrives after the call ended.
  out.handoff.requested_at_unix_ms =
      type == "end-of-call-report" && out.call.ended_at_unix_ms ? out.call.ended_at_unix_ms : timestamp;

  // What was said.
  const Field artifact = message["artifact"];
  read_messages(artifact["messages"].present() ? artifact["messages"] : message["messages"], out);
  const Field recording = artifact["recording"];
  for (const Field& url : {recording["mono"]["combinedUrl"], artifact["recordingUrl"],
                           recording["stereoUrl"], artifact["stereoRecordingUrl"]}) {
    out.call.recording_url = url.string();
    if (!out.call.recording_url.empty()) break;
  }

  // The handoff itself.
  out.handoff.transfer_destination = destination_of(message["destination"]);
  if (out.handoff.transfer_destination.empty()) {
    const auto transfers = artifact["transfers"].items();
    for (auto it = transfers.rbegin(); it != transfers.rend() && out.handoff.transfer_destination.empty(); ++it)
      out.handoff.transfer_destination = destination_of((*it)["destination"]);
  }
  const std::string_view ended_reason = message["endedReason"].string();
  const bool live = type != "end-of-call-report" || ended_by_forwarding(ended_reason) ||
                    (!out.handoff.transfer_destination.empty() && !transfer_failed(ended_reason));
  out.handoff.mode = live ? Mode::live_transfer : Mode::logged_escalation;
  const Field analysis = message["analysis"];
  out.handoff.summary = analysis["summary"].string();
  if (out.handoff.summary.empty()) out.handoff.summary = message["summary"].string();

  // Structured data the customer configured, then call and assistant metadata.
  read_key_values(analysis["structuredData"], out);
  read_key_values(call["metadata"], out);
  read_key_values(assistant["metadata"], out);
  infer_reason(out);
  infer_follow_up(out);
  return errors.size() == errors_before;
}

}  // namespace phone_handoff::adapters
