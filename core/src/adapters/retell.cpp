// Retell webhooks ({"event": …, "call": {…}}) → raw Handoff. Field mapping and quirks:
// docs/sources.md#retell.
#include <map>

#include "adapters/adapter_util.hpp"
#include "adapters/adapters.hpp"

namespace phone_handoff::adapters {
namespace {

void read_utterance(const Field& item, Speaker speaker, Handoff& out) {
  Turn turn;
  turn.speaker = speaker;
  turn.text = item["content"].string();
  // Utterances carry no times of their own; their words do (float seconds of call audio).
  const auto words = item["words"].items();
  if (!words.empty()) {
    turn.start_ms = seconds_as_ms(words.front()["start"]);
    turn.end_ms = seconds_as_ms(words.back()["end"]);
  }
  if (!turn.text.empty()) out.transcript.push_back(std::move(turn));
}

// transcript_with_tool_calls (utterances plus tool items) when it has entries, else
// transcript_object (an empty or absent tool transcript must not hide the plain one).
void read_transcript(const Field& call, Handoff& out) {
  const Field with_tools = call["transcript_with_tool_calls"];
  const bool use_tools = with_tools.present() && !(with_tools.is_array() && with_tools.json().empty());
  const Field transcript = use_tools ? with_tools : call["transcript_object"];
  std::map<std::string_view, size_t> tool_call_by_id;
  for (const Field& item : transcript.items()) {
    const std::string_view role = item["role"].string();
    if (role == "agent") read_utterance(item, Speaker::ai, out);
    else if (role == "user") read_utterance(item, Speaker::caller, out);
    else if (role == "transfer_target") read_utterance(item, Speaker::human_agent, out);
    else if (role == "tool_call_invocation") {
      const std::string_view id = item["tool_call_id"].string();
      if (!id.empty()) tool_call_by_id[id] = out.tool_calls.size();
      out.tool_calls.push_back({std::string(item["name"].string()), seconds_as_ms(item["time_sec"]), {}});
    } else if (role == "tool_call_result") {
      const std::string result = short_result(item["content"]);
      auto known = tool_call_by_id.find(item["tool_call_id"].string());
      if (known != tool_call_by_id.end()) out.tool_calls[known->second].result = result;
      else out.tool_calls.push_back({std::string(item["name"].string()), seconds_as_ms(item["time_sec"]), result});
    }
    // node_transition, dtmf, sms, injected: flow bookkeeping, not conversation.
  }
}

}  // namespace

bool retell(const json_reader::Value& doc, Handoff& out, Errors& errors) {
  const size_t errors_before = errors.size();
  const Field root = Field::root(doc, errors);
  const char* shape = "a Retell webhook looks like {\"event\": \"call_ended\", \"call\": {…}}";
  if (!require_object(root, shape)) return false;
  const Field event_field = root["event"];
  const std::string_view event = event_field.string();
  const bool transfer_event = event == "transfer_started" || event == "transfer_bridged";
  if (event != "call_ended" && event != "call_analyzed" && !transfer_event) {
    reject_event(event_field, "accepted events are call_ended, call_analyzed, transfer_started and transfer_bridged");
    return false;
  }
  const Field call = root["call"];
  if (!require_object(call, shape)) return false;

  out.source = "retell";
  out.source_event = event;
  out.call_id = call["call_id"].string();
  if (out.call_id.empty() && errors.size() == errors_before)
    call["call_id"].error("missing: the Retell call id (call.call_id) identifies the handoff");
  out.agent.id = call["agent_id"].string();
  out.agent.name = call["agent_name"].string();

  // Who: web calls have no numbers at all, which is not an error.
  const std::string_view direction = call["direction"].string();
  const std::string_view from = call["from_number"].string();
  const std::string_view to = call["to_number"].string();
  if (call["call_type"].string() == "web_call") {
    out.call.direction = Direction::web;
  } else {
    if (direction == "inbound") out.call.direction = Direction::inbound;
    else if (direction == "outbound") out.call.direction = Direction::outbound;
    out.call.from = from;
    out.call.to = to;
    // On an outbound call the customer is the callee.
    out.caller.phone = out.call.direction == Direction::outbound ? to : from;
  }

  // When (epoch ms).
  out.call.started_at_unix_ms = epoch_ms(call["start_timestamp"]);
  out.call.ended_at_unix_ms = epoch_ms(call["end_timestamp"]);
  out.handoff.requested_at_unix_ms = out.call.ended_at_unix_ms;

  read_transcript(call, out);
  out.call.recording_url = call["recording_url"].string();

  // The transfer destination's placement in transfer_* events is unconfirmed: read both.
  std::string_view destination = root["transfer_destination"].string();
  if (destination.empty()) destination = call["transfer_destination"].string();
  out.handoff.transfer_destination = transfer_destination_text(destination);
  const std::string_view disconnection = call["disconnection_reason"].string();
  const bool live = transfer_event || disconnection == "call_transfer" ||
                    disconnection == "transfer_bridged" ||
                    (!destination.empty() && disconnection != "transfer_cancelled");
  out.handoff.mode = live ? Mode::live_transfer : Mode::logged_escalation;

  // call_analyzed only.
  const Field analysis = call["call_analysis"];
  out.handoff.summary = analysis["call_summary"].string();
  const Field sentiment = analysis["user_sentiment"];
  out.handoff.sentiment = sentiment_from_text(sentiment.string());  // "Unknown" stays unset

  read_key_values(analysis["custom_analysis_data"], out);
  read_key_values(call["metadata"], out);
  read_key_values(call["retell_llm_dynamic_variables"], out);
  read_key_values(call["collected_dynamic_variables"], out);
  infer_reason(out);
  infer_follow_up(out);
  return errors.size() == errors_before;
}

}  // namespace phone_handoff::adapters
