#include "diagnose.hpp"

#include <algorithm>

#include "json_model.hpp"

namespace phone_handoff {
namespace {

// ---- every English string of diagnose, in one place --------------------------------------------
// {placeholders} are filled per finding; {hint} comes from kHints for the payload's source.
struct Advice {
  const char* code;
  const char* severity;
  const char* message;
};

const Advice kAdvice[] = {
    {"invalid_payload", "error",
     "The payload was rejected{at}: {detail}. Nothing reaches the rep until the sender fixes it."},
    {"event_not_a_handoff", "info",
     "Nothing to fix: this event carries no handoff ({detail}). Nothing reaches the rep from it "
     "and nothing is lost: the handoff comes with an accepted event of the same call.{leave_out}"},
    {"payload_warning", "info",
     "The payload was accepted with a correction{at}: {detail}. The rep still gets the handoff; "
     "fix the sender if this keeps happening."},
    {"transcript_missing", "error",
     "The payload has no transcript, so the rep starts blind and the caller has to repeat "
     "everything. Send the call's turns{hint}."},
    {"transcript_empty", "error",
     "The transcript has {total} turn(s) but none has any text, so the rep sees an empty "
     "conversation. Check that transcription is on and that each turn's text is sent{hint}."},
    {"transcript_ai_only", "warning",
     "The transcript has only AI turns: the caller's side was not captured, so the rep cannot see "
     "what the caller said. Check that the platform sends user messages{hint}."},
    {"turns_without_timestamps", "warning",
     "{count} of {total} transcript turns have no time, so the rep sees them without a [mm:ss] "
     "mark and cannot line them up with the recording. Send each turn's start time{hint}."},
    {"reason_missing", "warning",
     "The handoff has no reason, so the rep does not know why the AI gave up and has to ask the "
     "caller again. Send what the caller asked for and what the AI could not resolve{hint}."},
    {"reason_unclear", "warning",
     "The handoff reason is too vague to act on ({detail}), so the rep has to ask the caller to "
     "repeat the request. Send a specific category and a caller_asked sentence such as "
     "\"refund for order 1234\"{hint}."},
    {"summary_missing", "warning",
     "The handoff has no summary, so the rep has to read the whole transcript before answering. "
     "Turn on the platform's call summary{hint}."},
    {"caller_number_missing", "warning",
     "No caller number was given, so the rep cannot call back and Zendesk cannot match the caller "
     "to an existing user. Send the caller's number{hint}."},
    {"caller_number_anonymous", "info",
     "The caller withheld their number, so the rep cannot call back and Zendesk cannot match the "
     "caller to an existing user. Nothing to fix in the sender; to help the rep, have the AI ask "
     "for a callback number or email and send it as handoff.follow_up."},
    {"caller_number_not_e164", "error",
     "The caller number at {at_pointer} is not usable: {detail}. Zendesk matches callers by E.164 "
     "only (a + sign, the country code and the number, like +15550009999), so the handoff is "
     "rejected. Send the number in that form, or set the defaultCountryCode option so national "
     "numbers can be read."},
    {"follow_up_without_address", "error",
     "The handoff asks the rep to follow up by {channel} but gives no address, so the rep does "
     "not know where to reach the caller. Send handoff.follow_up.address ({address_kind})."},
    {"recording_url_not_https", "warning",
     "The recording link is not HTTPS ({value}), so browsers may block it for the rep and the "
     "call audio travels unencrypted. Send an https:// link."},
    {"session_url_not_https", "warning",
     "The session link is not HTTPS ({value}), so the rep's \"View session\" link may be blocked "
     "by the browser. Send an https:// link, or set sessionUrlTemplate to an https:// address."},
};

struct Hint {
  const char* code;
  const char* source;
  const char* text;
};

// The field that names a platform's event: an event the adapter does not accept is a normal
// delivery that carries no handoff (Retell sends call_started, Vapi sends speech-update, …), not a
// mistake of the sender.
struct EventField {
  const char* source;
  const char* pointer;
  // Where the platform is told which events to send; null when it cannot be told (Retell
  // documents no choice; a Vapi status-update must stay on: its "forwarding" status is a handoff).
  const char* leave_out;
};

const EventField kEventFields[] = {
    {"vapi", "/message/type", " (Vapi: the assistant's serverMessages list)"},
    {"vapi", "/message/status", nullptr},
    {"retell", "/event", nullptr},
    {"elevenlabs", "/type", " (ElevenLabs: the agent's webhook events; only the transcript is needed)"},
};

const char kReasonInMetadata[] =
    " (put handoff_reason, caller_asked and ai_unresolved in the call's metadata)";

const Hint kHints[] = {
    {"transcript_missing", "canonical", " in \"transcript\" (speaker, text, start_ms)"},
    {"transcript_missing", "vapi", " (Vapi: artifact.messages in the end-of-call-report)"},
    {"transcript_missing", "retell", " (Retell: call.transcript_object in call_ended or call_analyzed)"},
    {"transcript_missing", "elevenlabs", " (ElevenLabs: data.transcript in post_call_transcription)"},
    {"transcript_missing", "bland", " (Bland: transcripts in the post-call webhook)"},
    {"transcript_empty", "canonical", " in transcript[].text"},
    {"transcript_ai_only", "canonical", " (turns with speaker \"caller\")"},
    {"transcript_ai_only", "vapi", " (Vapi: artifact.messages with role \"user\")"},
    {"transcript_ai_only", "retell", " (Retell: transcript_object entries with role \"user\")"},
    {"transcript_ai_only", "elevenlabs", " (ElevenLabs: data.transcript entries with role \"user\")"},
    {"transcript_ai_only", "bland", " (Bland: transcripts entries with user \"user\")"},
    {"turns_without_timestamps", "canonical", " as start_ms (milliseconds from the call's start) or at (ISO 8601)"},
    {"turns_without_timestamps", "vapi", " (Vapi: secondsFromStart on each artifact message)"},
    {"turns_without_timestamps", "retell", " (Retell: words[].start in transcript_object)"},
    {"turns_without_timestamps", "elevenlabs", " (ElevenLabs: time_in_call_secs on each turn)"},
    {"turns_without_timestamps", "bland", " (Bland: created_at on each transcripts entry)"},
    {"reason_missing", "canonical", " in handoff.reason (category, caller_asked, ai_unresolved)"},
    {"reason_missing", "vapi", kReasonInMetadata},
    {"reason_missing", "retell", kReasonInMetadata},
    {"reason_missing", "elevenlabs", kReasonInMetadata},
    {"reason_missing", "bland", kReasonInMetadata},
    {"summary_missing", "canonical", " and send it as handoff.summary"},
    {"summary_missing", "vapi", " (Vapi: analysis.summary in the end-of-call-report)"},
    {"summary_missing", "retell",
     " (Retell: call_analysis.call_summary arrives only with call_analyzed; merge that event "
     "into the earlier call_ended one)"},
    {"summary_missing", "elevenlabs", " (ElevenLabs: data.analysis.transcript_summary)"},
    {"summary_missing", "bland", " (Bland: summary)"},
    {"caller_number_missing", "canonical",
     " in caller.phone, or in call.from (inbound) or call.to (outbound) together with call.direction"},
    {"caller_number_missing", "vapi", " (Vapi: call.customer.number)"},
    {"caller_number_missing", "retell", " (Retell: from_number on inbound calls, to_number on outbound ones)"},
    {"caller_number_missing", "elevenlabs", " (ElevenLabs: metadata.phone_call.external_number)"},
    {"caller_number_missing", "bland", " (Bland: from on inbound calls, to on outbound ones)"},
};

constexpr size_t kClearRequestChars = 10;  // a caller_asked shorter than this says too little

// ---- assembling findings ---------------------------------------------------------------------
class Findings {
 public:
  explicit Findings(std::string_view source) : source_(source) {}

  // Adds the finding `code`, filling {placeholders} from `values` and {hint} from kHints.
  void add(const char* code, std::string pointer,
           std::vector<std::pair<std::string, std::string>> values = {}) {
    const Advice* advice = nullptr;
    for (const Advice& a : kAdvice)
      if (std::string_view(a.code) == code) advice = &a;
    std::string hint;
    for (const Hint& h : kHints)
      if (std::string_view(h.code) == code && source_ == h.source) hint = h.text;
    values.emplace_back("hint", hint);
    std::string message = advice->message;
    for (const auto& [name, value] : values) {
      const std::string placeholder = "{" + name + "}";
      for (size_t at = message.find(placeholder); at != std::string::npos;
           at = message.find(placeholder, at + value.size()))
        message.replace(at, placeholder.size(), value);
    }
    list_.push_back({code, advice->severity, std::move(message), std::move(pointer)});
  }

  std::vector<Finding> take() { return std::move(list_); }

 private:
  std::string source_;
  std::vector<Finding> list_;
};

size_t utf8_length(std::string_view text) {
  return static_cast<size_t>(std::count_if(text.begin(), text.end(), [](char c) {
    return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  }));
}

// An error message without its final period, to be embedded in a longer sentence.
std::string sentence_body(std::string message) {
  while (!message.empty() && (message.back() == '.' || message.back() == ' ')) message.pop_back();
  return message;
}

// The event field of `source` at `pointer`, when `error` says that field held an event name the
// adapter does not accept (rather than no name, or a value of the wrong type: sender mistakes).
const EventField* unaccepted_event(std::string_view source, const FieldError& error) {
  const auto starts_with = [&](const char* prefix) { return error.message.rfind(prefix, 0) == 0; };
  if (starts_with("missing") || starts_with("must be")) return nullptr;
  for (const EventField& field : kEventFields)
    if (source == field.source && error.pointer == field.pointer) return &field;
  return nullptr;
}

bool is_https(const std::string& url) { return url.rfind("https://", 0) == 0; }

std::string quote(const std::string& s) { return nlohmann::json(s).dump(); }

void check_transcript(const Handoff& h, const ParseResult& parsed, Findings& out) {
  const auto& turns = h.transcript;
  if (turns.empty()) {
    if (parsed.report.raw_turns == 0) out.add("transcript_missing", "/transcript");
    else out.add("transcript_empty", "/transcript", {{"total", std::to_string(parsed.report.raw_turns)}});
    return;
  }
  const auto spoken_by = [&](Speaker s) {
    return std::any_of(turns.begin(), turns.end(), [&](const Turn& t) { return t.speaker == s; });
  };
  if (spoken_by(Speaker::ai) && !spoken_by(Speaker::caller)) out.add("transcript_ai_only", "/transcript");
  const auto untimed = std::count_if(turns.begin(), turns.end(),
                                     [](const Turn& t) { return !t.start_ms && !t.at_unix_ms; });
  if (untimed > 0)
    out.add("turns_without_timestamps", "/transcript",
            {{"count", std::to_string(untimed)}, {"total", std::to_string(turns.size())}});
}

void check_reason(const HandoffDetails& d, Findings& out) {
  const Reason& r = d.reason;
  if (!r.category && r.caller_asked.empty() && r.ai_unresolved.empty()) {
    out.add("reason_missing", "/handoff/reason");
    return;
  }
  if (!r.caller_asked.empty() && utf8_length(r.caller_asked) < kClearRequestChars) {
    out.add("reason_unclear", "/handoff/reason/caller_asked",
            {{"detail", "caller_asked is only " + quote(r.caller_asked)}});
  } else if (r.category == ReasonCategory::other) {
    out.add("reason_unclear", "/handoff/reason/category", {{"detail", "the category is \"other\""}});
  }
}

void check_caller(const Handoff& h, const ParseResult& parsed, Findings& out) {
  switch (parsed.report.caller_number) {
    case PhoneNumber::Kind::withheld: out.add("caller_number_anonymous", "/caller/phone"); break;
    case PhoneNumber::Kind::empty:
      if (h.call.direction != Direction::web) out.add("caller_number_missing", "/caller/phone");
      break;
    default: break;  // invalid numbers are reported with the parse errors
  }
}

void check_follow_up(const HandoffDetails& d, Findings& out) {
  if (!d.follow_up.channel || !d.follow_up.address.empty()) return;
  const bool email = *d.follow_up.channel == FollowUpChannel::email;
  out.add("follow_up_without_address", "/handoff/follow_up/address",
          {{"channel", email ? "email"
                       : *d.follow_up.channel == FollowUpChannel::sms ? "text message (SMS)"
                                                                      : "phone callback"},
           {"address_kind", email ? "an email address" : "an E.164 number such as +15550009999"}});
}

void check_links(const CallInfo& call, Findings& out) {
  if (!call.recording_url.empty() && !is_https(call.recording_url))
    out.add("recording_url_not_https", "/call/recording_url", {{"value", quote(call.recording_url)}});
  if (!call.session_url.empty() && !is_https(call.session_url))
    out.add("session_url_not_https", "/call/session_url", {{"value", quote(call.session_url)}});
}

}  // namespace

std::vector<Finding> diagnose_parse(std::string_view source, const ParseResult& parsed) {
  Findings out(source);
  if (parsed.errors.size() == 1 && !parsed.adapted) {
    const FieldError& e = parsed.errors.front();
    if (const EventField* event = unaccepted_event(source, e)) {
      out.add("event_not_a_handoff", e.pointer,
              {{"detail", sentence_body(e.message)},
               {"leave_out", event->leave_out
                                 ? std::string(" If you do not need it elsewhere, the platform can stop sending it") +
                                       event->leave_out + "."
                                 : std::string()}});
      return out.take();
    }
  }
  for (const FieldError& e : parsed.errors) {
    if (!parsed.report.caller_number_pointer.empty() && e.pointer == parsed.report.caller_number_pointer) {
      // normalize's message is "\"…\" is not a usable phone number: why"; keep the why.
      const size_t colon = e.message.find(": ");
      out.add("caller_number_not_e164", e.pointer,
              {{"at_pointer", e.pointer},
               {"detail", colon == std::string::npos ? e.message : e.message.substr(colon + 2)}});
      continue;
    }
    out.add("invalid_payload", e.pointer,
            {{"at", e.pointer.empty() ? "" : " at " + e.pointer}, {"detail", sentence_body(e.message)}});
  }
  if (!parsed.adapted) return out.take();  // nothing was read, so nothing else can be judged
  for (const FieldError& w : parsed.warnings) {
    if (w.pointer == "/caller/phone") continue;  // caller_number_* below say it better
    out.add("payload_warning", w.pointer,
            {{"at", w.pointer.empty() ? "" : " at " + w.pointer}, {"detail", sentence_body(w.message)}});
  }

  const Handoff& h = parsed.handoff;
  check_transcript(h, parsed, out);
  check_reason(h.handoff, out);
  if (h.handoff.summary.empty()) out.add("summary_missing", "/handoff/summary");
  check_caller(h, parsed, out);
  check_follow_up(h.handoff, out);
  check_links(h.call, out);
  return out.take();
}

nlohmann::ordered_json findings_to_json(const std::vector<Finding>& findings) {
  nlohmann::ordered_json list = nlohmann::ordered_json::array();
  for (const Finding& f : findings) {
    nlohmann::ordered_json j;
    j["code"] = f.code;
    j["severity"] = f.severity;
    j["message"] = f.message;
    if (!f.pointer.empty()) j["pointer"] = f.pointer;
    list.push_back(std::move(j));
  }
  return list;
}

}  // namespace phone_handoff
