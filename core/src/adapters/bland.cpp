// Bland post-call webhooks (the call details object) → raw Handoff. Field mapping and quirks:
// docs/sources.md#bland.
#include "adapters/adapter_util.hpp"
#include "adapters/adapters.hpp"

namespace phone_handoff::adapters {
namespace {

// Variables Bland fills in itself (the call's numbers, ids, clock and caller location): the
// handoff already holds them in its own fields, so they are not values for ticket fields.
bool is_bland_builtin_variable(std::string_view key) {
  static const char* const builtins[] = {"now", "now_utc", "from", "to", "short_from", "short_to",
                                         "call_id", "phone_number", "timestamp", "timezone",
                                         "language", "country", "state", "city", "zip"};
  for (const char* name : builtins)
    if (key == name) return true;
  return key.rfind("from_", 0) == 0 || key.rfind("to_", 0) == 0;
}

}  // namespace

bool bland(const json_reader::Value& doc, Handoff& out, Errors& errors) {
  const size_t errors_before = errors.size();
  const Field root = Field::root(doc, errors);
  if (!require_object(root, "a Bland post-call webhook is the call details object {\"call_id\": …}")) return false;

  // Bland sends one post-call webhook per call and names no event type.
  out.source = "bland";
  out.source_event = "post_call";
  const Field id_field = root["call_id"].present() ? root["call_id"] : root["c_id"];
  out.call_id = id_field.string();
  if (out.call_id.empty() && errors.size() == errors_before)
    root["call_id"].error("missing: the Bland call id (call_id, or c_id) identifies the handoff");

  // Who: the customer is the caller on inbound calls and the callee on outbound ones.
  const auto inbound = root["inbound"].boolean();
  out.call.from = root["from"].string();
  out.call.to = root["to"].string();
  if (inbound) out.call.direction = *inbound ? Direction::inbound : Direction::outbound;
  out.caller.phone = inbound.value_or(true) ? out.call.from : out.call.to;  // unknown: as inbound

  // When: ISO wall-clock times and a length in MINUTES (`end_at` is the scheduled cutoff, not
  // the end, so it is not read).
  const auto started = iso_time_ms(root["started_at"]);
  out.call.started_at_unix_ms = started;
  const auto length = minutes_as_ms(root["call_length"]);
  if (started && length) out.call.ended_at_unix_ms = *started + *length;

  // What was said: each turn has an absolute created_at; offsets are created_at - started_at.
  for (const Field& entry : root["transcripts"].items()) {
    const std::string_view user = entry["user"].string();
    Turn turn;
    if (user == "user") turn.speaker = Speaker::caller;
    else if (user == "assistant") turn.speaker = Speaker::ai;
    else if (user == "robot" || user == "agent-action") turn.speaker = Speaker::system;  // IVR side, tool actions
    else continue;
    turn.text = entry["text"].string();
    turn.at_unix_ms = iso_time_ms(entry["created_at"]);
    if (started && turn.at_unix_ms && *turn.at_unix_ms >= *started) turn.start_ms = *turn.at_unix_ms - *started;
    if (!turn.text.empty()) out.transcript.push_back(std::move(turn));
  }
  out.call.recording_url = root["recording_url"].string();
  out.handoff.summary = root["summary"].string();

  // The handoff: a transfer names its number and time.
  out.handoff.transfer_destination = transfer_destination_text(root["transferred_to"].string());
  const auto transferred_at = iso_time_ms(root["transferred_at"]);
  out.handoff.mode = out.handoff.transfer_destination.empty() ? Mode::logged_escalation : Mode::live_transfer;
  out.handoff.requested_at_unix_ms =
      out.handoff.mode == Mode::live_transfer && transferred_at ? transferred_at : out.call.ended_at_unix_ms;

  read_key_values(root["analysis"], out);
  read_key_values(root["metadata"], out);
  const Field variables = root["variables"];
  out.call.language = variables["language"].string();
  read_key_values(variables, out, is_bland_builtin_variable);
  infer_reason(out);
  infer_follow_up(out);
  return errors.size() == errors_before;
}

}  // namespace phone_handoff::adapters
