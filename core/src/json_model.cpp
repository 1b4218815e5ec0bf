#include "json_model.hpp"

#include <cstdint>
#include <limits>
#include <optional>

#include "time_util.hpp"

namespace phone_handoff {
namespace {

using json_reader::Kind;
using json_reader::Value;

// ---- enum spellings -------------------------------------------------------------------------
template <class E>
struct Spelling {
  E value;
  const char* name;
};

const Spelling<Speaker> kSpeakers[] = {{Speaker::ai, "ai"},
                                       {Speaker::caller, "caller"},
                                       {Speaker::human_agent, "human_agent"},
                                       {Speaker::system, "system"}};
const Spelling<Direction> kDirections[] = {
    {Direction::inbound, "inbound"}, {Direction::outbound, "outbound"}, {Direction::web, "web"}};
const Spelling<Mode> kModes[] = {{Mode::live_transfer, "live_transfer"},
                                 {Mode::logged_escalation, "logged_escalation"}};
const Spelling<FollowUpChannel> kChannels[] = {{FollowUpChannel::email, "email"},
                                               {FollowUpChannel::sms, "sms"},
                                               {FollowUpChannel::callback, "callback"}};
const Spelling<ReasonCategory> kCategories[] = {
    {ReasonCategory::user_request, "user_request"},
    {ReasonCategory::missing_knowledge, "missing_knowledge"},
    {ReasonCategory::missing_tools, "missing_tools"},
    {ReasonCategory::unclear_instructions, "unclear_instructions"},
    {ReasonCategory::prohibited_topic, "prohibited_topic"},
    {ReasonCategory::frustration, "frustration"},
    {ReasonCategory::other, "other"}};
const Spelling<Sentiment> kSentiments[] = {
    {Sentiment::angry, "angry"}, {Sentiment::neutral, "neutral"}, {Sentiment::happy, "happy"}};

template <class E, size_t N>
const char* spelling_of(const Spelling<E> (&table)[N], E value) {
  for (const auto& s : table)
    if (s.value == value) return s.name;
  return "";
}

// `must be "a" or "b"` / `must be one of "a", "b", "c"`.
template <class E, size_t N>
std::string allowed_values_message(const Spelling<E> (&table)[N]) {
  std::string message = N == 2 ? "must be " : "must be one of ";
  for (size_t i = 0; i < N; ++i) {
    if (i > 0) message += N == 2 ? " or " : ", ";
    message += '"' + std::string(table[i].name) + '"';
  }
  return message;
}

// ---- reading ----------------------------------------------------------------------------------
const char* json_type_phrase(const Value& value) {
  switch (value.kind()) {
    case Kind::object: return "an object";
    case Kind::array: return "an array";
    case Kind::string: return "a string";
    case Kind::boolean: return "a boolean";
    case Kind::integer:
    case Kind::unsigned_integer:
    case Kind::floating: return "a number";
    default: return "null";
  }
}

// A value quoted in a message, written as nlohmann::json writes it.
std::string dump(const Value& value) { return value.to_nlohmann().dump(); }

// Reads the members of one JSON object, recording every problem under its pointer.
class ObjectReader {
 public:
  ObjectReader(const Value& object, std::string pointer, Errors& errors)
      : object_(object), pointer_(std::move(pointer)), errors_(errors) {}

  const std::string& pointer() const { return pointer_; }
  std::string pointer_of(const char* key) const { return pointer_append(pointer_, key); }

  // The member, or nullptr when it is missing or null (null means absent).
  const Value* find(const char* key) const {
    const Value* member = object_.find(key);
    return member && !member->is_null() ? member : nullptr;
  }

  void fail(const std::string& pointer, const std::string& message) {
    errors_.push_back({pointer, message});
  }

  void required_missing(const char* key, const char* what) {
    fail(pointer_of(key), std::string("is required (") + what + ")");
  }

  void string(const char* key, std::string& out) {
    const Value* v = find(key);
    if (!v) return;
    if (!v->is_string()) return wrong_type(key, *v, "a string");
    out = v->string();
  }

  void optional_integer(const char* key, std::optional<int64_t>& out, const char* unit) {
    const Value* v = find(key);
    if (!v) return;
    if (v->kind() == Kind::unsigned_integer) {
      const uint64_t u = v->unsigned_integer();
      if (u > static_cast<uint64_t>(std::numeric_limits<int64_t>::max()))
        return fail(pointer_of(key), whole_number_message(unit) + " (this one is too large)");
      out = static_cast<int64_t>(u);
    } else if (v->kind() == Kind::integer) {
      out = v->integer();
      if (*out < 0) {
        out.reset();
        return fail(pointer_of(key), whole_number_message(unit) + ", not " + dump(*v));
      }
    } else if (v->kind() == Kind::floating) {
      fail(pointer_of(key), whole_number_message(unit) + ", not " + dump(*v));
    } else {
      wrong_type(key, *v, "a number");
    }
  }

  void optional_time(const char* key, std::optional<int64_t>& out) {
    const Value* v = find(key);
    if (!v) return;
    if (!v->is_string()) return wrong_type(key, *v, "an ISO 8601 date-time string");
    const std::string_view text = v->string();
    if (text.empty()) return;
    out = parse_iso8601_ms(text);
    if (!out)
      fail(pointer_of(key),
           "must be an ISO 8601 date-time with a time zone, like \"2026-01-01T00:01:02.000Z\", "
           "not \"" + std::string(text) + "\"");
  }

  template <class E, size_t N>
  void enumeration(const char* key, std::optional<E>& out, const Spelling<E> (&table)[N]) {
    const Value* v = find(key);
    if (!v) return;
    if (v->is_string()) {
      for (const auto& s : table)
        if (v->string() == s.name) {
          out = s.value;
          return;
        }
    }
    fail(pointer_of(key), allowed_values_message(table) + ", not " + dump(*v));
  }

  // A nested object member: nullptr when missing, with an error when it is not an object.
  const Value* object(const char* key) {
    const Value* v = find(key);
    if (!v) return nullptr;
    if (!v->is_object()) {
      wrong_type(key, *v, "an object");
      return nullptr;
    }
    return v;
  }

  const Value* array(const char* key) {
    const Value* v = find(key);
    if (!v) return nullptr;
    if (!v->is_array()) {
      wrong_type(key, *v, "an array");
      return nullptr;
    }
    return v;
  }

 private:
  static std::string whole_number_message(const char* unit) {
    return std::string("must be a whole, non-negative number of ") + unit;
  }

  void wrong_type(const char* key, const Value& value, const char* expected) {
    fail(pointer_of(key), std::string("must be ") + expected + ", not " + json_type_phrase(value));
  }

  const Value& object_;
  std::string pointer_;
  Errors& errors_;
};

void read_turn(const Value& item, const std::string& pointer, Turn& turn, Errors& errors) {
  ObjectReader r(item, pointer, errors);
  std::optional<Speaker> speaker;
  r.enumeration("speaker", speaker, kSpeakers);
  if (speaker) turn.speaker = *speaker;
  else if (!r.find("speaker")) r.required_missing("speaker", "who said it: \"ai\", \"caller\", \"human_agent\" or \"system\"");
  if (!r.find("text")) r.required_missing("text", "what was said");
  r.string("text", turn.text);
  r.optional_integer("start_ms", turn.start_ms, "milliseconds from the start of the call");
  r.optional_integer("end_ms", turn.end_ms, "milliseconds from the start of the call");
  r.optional_time("at", turn.at_unix_ms);
  if (turn.start_ms && turn.end_ms && *turn.end_ms < *turn.start_ms)
    r.fail(r.pointer_of("end_ms"), "must not be before start_ms (" + std::to_string(*turn.start_ms) +
                                       "), not " + std::to_string(*turn.end_ms));
}

void read_tool_call(const Value& item, const std::string& pointer, ToolCall& call, Errors& errors) {
  ObjectReader r(item, pointer, errors);
  if (!r.find("name")) r.required_missing("name", "the tool's name");
  r.string("name", call.name);
  r.optional_integer("at_ms", call.at_ms, "milliseconds from the start of the call");
  r.string("result", call.result);
}

template <class Item, class ReadItem>
void read_list(ObjectReader& parent, const char* key, std::vector<Item>& out, Errors& errors,
               ReadItem read_item) {
  const Value* list = parent.array(key);
  if (!list) return;
  const std::string pointer = parent.pointer_of(key);
  out.reserve(out.size() + list->size());
  size_t i = 0;
  for (const Value& item : *list) {
    const std::string item_pointer = pointer_append(pointer, i++);
    if (!item.is_object()) {
      errors.push_back({item_pointer, std::string("must be an object, not ") + json_type_phrase(item)});
      continue;
    }
    Item value;
    read_item(item, item_pointer, value, errors);
    out.push_back(std::move(value));
  }
}

void read_custom_fields(ObjectReader& parent, std::map<std::string, nlohmann::json>& out, Errors& errors) {
  const Value* fields = parent.object("custom_fields");
  if (!fields) return;
  const std::string pointer = parent.pointer_of("custom_fields");
  for (const Value* value : fields->sorted_members()) {  // nlohmann's order, as before
    if (value->is_null()) continue;
    if (value->is_string() || value->is_number() || value->is_boolean()) {
      out[std::string(value->key())] = value->to_nlohmann();
    } else {
      errors.push_back({pointer_append(pointer, value->key()),
                        std::string("must be a string, number or boolean (custom fields fill flat "
                                    "Zendesk ticket fields), not ") + json_type_phrase(*value)});
    }
  }
}

void read_handoff_details(ObjectReader& top, HandoffDetails& details, Errors& errors) {
  const Value* object = top.object("handoff");
  if (!object) {
    if (!top.find("handoff"))
      top.required_missing("handoff", "at least {\"mode\": \"live_transfer\"} or {\"mode\": \"logged_escalation\"}");
    return;
  }
  ObjectReader r(*object, top.pointer_of("handoff"), errors);
  std::optional<Mode> mode;
  r.enumeration("mode", mode, kModes);
  if (mode) details.mode = *mode;
  else if (!r.find("mode")) r.fail(r.pointer_of("mode"), "is required and " + allowed_values_message(kModes));
  r.optional_time("requested_at", details.requested_at_unix_ms);
  r.string("transfer_destination", details.transfer_destination);
  if (const Value* follow_up = r.object("follow_up")) {
    ObjectReader f(*follow_up, r.pointer_of("follow_up"), errors);
    f.enumeration("channel", details.follow_up.channel, kChannels);
    f.string("address", details.follow_up.address);
  }
  if (const Value* reason = r.object("reason")) {
    ObjectReader f(*reason, r.pointer_of("reason"), errors);
    f.enumeration("category", details.reason.category, kCategories);
    f.string("caller_asked", details.reason.caller_asked);
    f.string("ai_unresolved", details.reason.ai_unresolved);
  }
  r.string("summary", details.summary);
  r.enumeration("sentiment", details.sentiment, kSentiments);
}

}  // namespace

const char* to_string(Speaker v) { return spelling_of(kSpeakers, v); }
const char* to_string(Direction v) { return spelling_of(kDirections, v); }
const char* to_string(Mode v) { return spelling_of(kModes, v); }
const char* to_string(FollowUpChannel v) { return spelling_of(kChannels, v); }
const char* to_string(ReasonCategory v) { return spelling_of(kCategories, v); }
const char* to_string(Sentiment v) { return spelling_of(kSentiments, v); }

std::string pointer_append(std::string_view pointer, std::string_view token) {
  std::string out(pointer);
  out += '/';
  for (char c : token) {
    if (c == '~') out += "~0";
    else if (c == '/') out += "~1";
    else out += c;
  }
  return out;
}

std::string pointer_append(std::string_view pointer, size_t index) {
  return std::string(pointer) + '/' + std::to_string(index);
}


bool handoff_from_json(const nlohmann::json& doc, Handoff& out, Errors& errors) {
  return handoff_from_json(json_reader::Document::from(doc).root(), out, errors);
}

bool handoff_from_json(const Value& doc, Handoff& out, Errors& errors) {
  const size_t errors_before = errors.size();
  if (!doc.is_object()) {
    errors.push_back({"", std::string("the handoff must be a JSON object, not ") + json_type_phrase(doc)});
    return false;
  }
  ObjectReader top(doc, "", errors);
  top.string("source", out.source);
  top.string("source_event", out.source_event);
  top.string("event_id", out.event_id);
  top.string("session_id", out.session_id);
  top.string("org_id", out.org_id);
  top.string("contact_id", out.contact_id);
  top.string("call_id", out.call_id);
  if (out.call_id.empty() && !top.find("call_id"))
    top.required_missing("call_id", "the platform's id for this call; with source it identifies the handoff");
  else if (out.call_id.empty() && top.find("call_id")->is_string())
    top.fail("/call_id", "must not be empty (with source it identifies the handoff)");

  if (const Value* agent = top.object("agent")) {
    ObjectReader r(*agent, "/agent", errors);
    r.string("id", out.agent.id);
    r.string("name", out.agent.name);
  }
  if (const Value* call = top.object("call")) {
    ObjectReader r(*call, "/call", errors);
    r.enumeration("direction", out.call.direction, kDirections);
    r.string("from", out.call.from);
    r.string("to", out.call.to);
    r.optional_time("started_at", out.call.started_at_unix_ms);
    r.optional_time("ended_at", out.call.ended_at_unix_ms);
    r.string("language", out.call.language);
    r.string("recording_url", out.call.recording_url);
    r.string("session_url", out.call.session_url);
  }
  if (const Value* caller = top.object("caller")) {
    ObjectReader r(*caller, "/caller", errors);
    r.string("phone", out.caller.phone);
    r.string("name", out.caller.name);
    r.string("email", out.caller.email);
  }
  read_handoff_details(top, out.handoff, errors);
  read_list(top, "transcript", out.transcript, errors, read_turn);
  read_list(top, "tool_calls", out.tool_calls, errors, read_tool_call);
  read_custom_fields(top, out.custom_fields, errors);
  return errors.size() == errors_before;
}

}  // namespace phone_handoff
