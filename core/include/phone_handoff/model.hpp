// The canonical handoff: everything a rep needs and everything Zendesk needs about one AI phone
// call that is being handed to a human. Every ingest adapter produces this; every renderer and the
// Sunshine planner consume it. Field names follow OpenCX where OpenCX has a name.
//
// Conventions (why): strings use "" for "absent" so the struct stays trivially comparable and
// cheap to fill; times are integers so no adapter has to agree on a string format:
//   *_unix_ms  = milliseconds since the Unix epoch (absolute wall clock),
//   *_ms       = milliseconds from the start of the call (relative).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace phone_handoff {

enum class Speaker { ai, caller, human_agent, system };
enum class Direction { inbound, outbound, web };
enum class Mode { live_transfer, logged_escalation };
enum class FollowUpChannel { email, sms, callback };
enum class ReasonCategory {
  user_request, missing_knowledge, missing_tools, unclear_instructions,
  prohibited_topic, frustration, other
};
enum class Sentiment { angry, neutral, happy };

struct Turn {
  Speaker speaker = Speaker::caller;
  std::string text;
  std::optional<int64_t> start_ms;     // from call start
  std::optional<int64_t> end_ms;       // from call start
  std::optional<int64_t> at_unix_ms;   // absolute start time, when the platform gives it
  bool operator==(const Turn& o) const {
    return speaker == o.speaker && text == o.text && start_ms == o.start_ms &&
           end_ms == o.end_ms && at_unix_ms == o.at_unix_ms;
  }
};

struct ToolCall {
  std::string name;
  std::optional<int64_t> at_ms;        // from call start
  std::string result;                  // short, human-readable
};

struct Agent { std::string id, name; };

struct Caller {
  std::string phone;                   // E.164 after normalization
  std::string name;
  std::string email;
};

struct FollowUp {
  std::optional<FollowUpChannel> channel;
  std::string address;                 // email address or E.164 number
};

struct Reason {
  std::optional<ReasonCategory> category;
  std::string caller_asked;            // what the caller asked for
  std::string ai_unresolved;           // what the AI could not resolve
};

struct HandoffDetails {
  Mode mode = Mode::logged_escalation;
  std::optional<int64_t> requested_at_unix_ms;
  std::string transfer_destination;    // E.164 number or SIP URI (live transfer)
  FollowUp follow_up;                  // logged escalation
  Reason reason;
  std::string summary;
  std::optional<Sentiment> sentiment;
};

struct CallInfo {
  std::optional<Direction> direction;
  std::string from;                    // E.164
  std::string to;                      // E.164
  std::optional<int64_t> started_at_unix_ms;
  std::optional<int64_t> ended_at_unix_ms;
  std::string language;                // BCP-47
  std::string recording_url;
  std::string session_url;             // the session's debug view ("View session")
};

struct Handoff {
  // Where it came from.
  std::string source;                  // canonical | vapi | retell | elevenlabs | bland
  std::string source_event;            // e.g. "end-of-call-report", "call_analyzed"
  std::string event_id;                // delivery / event id when the platform has one
  // Identifiers. (source, call_id) identifies one handoff; a later event with the same pair is
  // an update of it, never a new one.
  std::string session_id;              // becomes opencx_session_id
  std::string org_id;
  std::string contact_id;
  std::string call_id;

  Agent agent;
  CallInfo call;
  Caller caller;
  HandoffDetails handoff;
  std::vector<Turn> transcript;        // sorted by start, stable
  std::vector<ToolCall> tool_calls;
  // Values destined for Zendesk ticket fields: flat scalars (string, number, boolean).
  std::map<std::string, nlohmann::json> custom_fields;
};

// One problem with an input, addressed by a JSON pointer into that input (RFC 6901).
struct FieldError {
  std::string pointer;
  std::string message;
};
using Errors = std::vector<FieldError>;

}  // namespace phone_handoff
