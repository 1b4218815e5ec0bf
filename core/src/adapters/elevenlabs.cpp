// ElevenLabs Agents post-call webhooks ({"type": …, "data": {…}}) → raw Handoff. Field mapping
// and quirks: docs/sources.md#elevenlabs.
#include <map>

#include "adapters/adapter_util.hpp"
#include "adapters/adapters.hpp"

namespace phone_handoff::adapters {
namespace {

// Result types of the transfer_to_number system tool that mean the caller was put through.
bool transfer_succeeded(std::string_view result_type) {
  return result_type.rfind("transfer_to_number_", 0) == 0 &&
         result_type.size() > 8 && result_type.compare(result_type.size() - 8, 8, "_success") == 0;
}

// ElevenLabs' own dynamic variables (system__caller_id, system__time_utc, …): call plumbing that
// the handoff already holds in its own fields, not values for ticket fields.
bool is_system_variable(std::string_view key) { return key.rfind("system__", 0) == 0; }

struct TranscriptState {
  std::map<std::string_view, size_t> tool_call_by_request;  // request_id → index in out.tool_calls
  std::optional<int64_t> transfer_at_ms;                // when the transfer tool succeeded
};

void read_tools(const Field& entry, std::optional<int64_t> at_ms, Handoff& out, TranscriptState& state) {
  for (const Field& call : entry["tool_calls"].items()) {
    const std::string_view request = call["request_id"].string();
    if (!request.empty()) state.tool_call_by_request[request] = out.tool_calls.size();
    out.tool_calls.push_back({std::string(call["tool_name"].string()), at_ms, {}});
  }
  for (const Field& result : entry["tool_results"].items()) {
    const Field details = result["result"];
    std::string text = short_result(result["result_value"]);
    const std::string_view result_type = details.is_object() ? details["result_type"].string() : "";
    if (text.empty()) text = result_type;
    const std::string_view name = result["tool_name"].string();
    auto known = state.tool_call_by_request.find(result["request_id"].string());
    if (known != state.tool_call_by_request.end()) out.tool_calls[known->second].result = text;
    else out.tool_calls.push_back({std::string(name), at_ms, text});

    const bool failed = result["is_error"].boolean().value_or(false);
    if (name == "transfer_to_number" && !failed && details.is_object() && transfer_succeeded(result_type)) {
      const std::string_view number = details["transfer_number"].string();
      if (!number.empty()) {
        out.handoff.transfer_destination = transfer_destination_text(number);
        state.transfer_at_ms = at_ms;
      }
    }
  }
}

void read_transcript(const Field& transcript, Handoff& out, TranscriptState& state) {
  for (const Field& entry : transcript.items()) {
    const std::string_view role = entry["role"].string();
    // Whole seconds only: start_ms = secs * 1000 and no end time, rather than invent precision.
    const auto start_ms = seconds_as_ms(entry["time_in_call_secs"]);
    // Most entries are plain turns: looking their absent tool members up would only build the
    // pointers of two absent fields (a non-object entry has its type error already, from "role").
    const json_reader::Value& node = entry.json();
    if (node.find("tool_calls") || node.find("tool_results")) read_tools(entry, start_ms, out, state);
    const std::string_view text = entry["message"].string();  // null on tool-only entries
    if (text.empty()) continue;
    Turn turn;
    if (role == "agent") turn.speaker = Speaker::ai;
    else if (role == "user") turn.speaker = Speaker::caller;
    else continue;
    turn.text = text;
    turn.start_ms = start_ms;
    out.transcript.push_back(std::move(turn));
  }
}

}  // namespace

bool elevenlabs(const json_reader::Value& doc, Handoff& out, Errors& errors) {
  const size_t errors_before = errors.size();
  const Field root = Field::root(doc, errors);
  const char* shape = "an ElevenLabs webhook looks like {\"type\": \"post_call_transcription\", \"data\": {…}}";
  if (!require_object(root, shape)) return false;
  const Field type_field = root["type"];
  const std::string_view type = type_field.string();
  if (type != "post_call_transcription") {
    reject_event(type_field, "the accepted event is post_call_transcription");
    return false;
  }
  const Field data = root["data"];
  if (!require_object(data, shape)) return false;

  out.source = "elevenlabs";
  out.source_event = type;
  out.call_id = data["conversation_id"].string();
  if (out.call_id.empty() && errors.size() == errors_before)
    data["conversation_id"].error("missing: the ElevenLabs conversation id (data.conversation_id) identifies the handoff");
  out.agent.id = data["agent_id"].string();
  out.agent.name = data["agent_name"].string();

  // Who: no phone_call block means a widget / web conversation.
  const Field metadata = data["metadata"];
  const Field phone_call = metadata["phone_call"];
  const Field dynamic_variables = data["conversation_initiation_client_data"]["dynamic_variables"];
  if (phone_call.expect_object()) {
    const std::string_view direction = phone_call["direction"].string();
    const std::string_view external = phone_call["external_number"].string();
    const std::string_view agent_number = phone_call["agent_number"].string();
    out.caller.phone = external.empty() ? dynamic_variables["system__caller_id"].string() : external;
    if (direction == "outbound") {
      out.call.direction = Direction::outbound;
      out.call.from = agent_number;
      out.call.to = out.caller.phone;
    } else {
      if (direction == "inbound") out.call.direction = Direction::inbound;
      out.call.from = out.caller.phone;
      out.call.to = agent_number;
    }
  } else if (!phone_call.present()) {
    out.call.direction = Direction::web;
  }

  // When: epoch seconds and a whole-second duration.
  const auto started = seconds_as_ms(metadata["start_time_unix_secs"]);
  const auto duration = seconds_as_ms(metadata["call_duration_secs"]);
  out.call.started_at_unix_ms = started;
  if (started && duration) out.call.ended_at_unix_ms = *started + *duration;

  TranscriptState state;
  read_transcript(data["transcript"], out, state);

  out.handoff.mode = out.handoff.transfer_destination.empty() ? Mode::logged_escalation : Mode::live_transfer;
  // A transfer is requested at the transfer tool's turn; a logged escalation when the call ends.
  if (started && state.transfer_at_ms) out.handoff.requested_at_unix_ms = *started + *state.transfer_at_ms;
  else out.handoff.requested_at_unix_ms = out.call.ended_at_unix_ms;

  const Field analysis = data["analysis"];
  out.handoff.summary = analysis["transcript_summary"].string();
  // data_collection_results: {"<id>": {"value": …, "rationale": …}} — the value is the field.
  read_key_values(analysis["data_collection_results"], out, nullptr, "value");
  read_key_values(dynamic_variables, out, is_system_variable);
  infer_reason(out);
  infer_follow_up(out);
  return errors.size() == errors_before;
}

}  // namespace phone_handoff::adapters
