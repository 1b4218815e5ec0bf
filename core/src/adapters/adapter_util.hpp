// Shared helpers for the platform adapters: a typed, pointer-tracking view of a webhook document,
// time conversions, and the mapping of "recognised keys" (session_id, handoff_reason, …) that
// every platform can carry in its free-form metadata. Kept here so the four adapters read like a
// field mapping table and agree on every rule they share.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "json/reader.hpp"
#include "phone_handoff/model.hpp"

namespace phone_handoff::adapters {

// One value inside a platform document, addressed by its JSON pointer (RFC 6901). Getters treat a
// missing or null value as absent and record an error for a value of the wrong type, so adapters
// never throw on bad input and every problem names the exact place in the document. A Field is a
// few words: its pointer is worked out only when an error is recorded (a webhook has thousands
// of fields and, usually, no errors). Strings it returns are views into the document.
class Field {
 public:
  static Field root(const json_reader::Value& doc, Errors& errors) { return Field(&doc, &doc, &errors); }

  // Member `key` of an object. Reading a member of a present non-object records one error at
  // this field ("must be an object") and yields an absent field.
  Field operator[](std::string_view key) const;

  bool present() const { return missing_.empty() && !node_->is_null(); }
  bool is_object() const { return present() && node_->is_object(); }
  bool is_array() const { return present() && node_->is_array(); }
  // is_object(), recording "must be an object" when the value is present but something else.
  bool expect_object() const;
  // The value (a null value when absent).
  const json_reader::Value& json() const;
  std::string pointer() const;

  // Typed getters: absent → empty / nullopt; wrong type → error recorded, empty / nullopt.
  std::string_view string() const;
  std::optional<double> number() const;
  std::optional<bool> boolean() const;
  // The elements of an array (empty when absent; error when present and not an array).
  std::vector<Field> items() const;
  // The members of an object, in key order as nlohmann::json keeps them (sorted; of duplicate
  // keys the last) (empty when absent; error when not an object).
  std::vector<std::pair<std::string_view, Field>> members() const;

  // Records a problem at this field (an identical problem is recorded once).
  void error(const std::string& message) const;

 private:
  Field(const json_reader::Value* node, const json_reader::Value* root, Errors* errors)
      : node_(node), root_(root), errors_(errors) {}
  // True when present and of the tested type; records a type error when present and not.
  bool holds(bool (json_reader::Value::*test)() const, const char* expected) const;
  void type_error(const char* expected) const;

  const json_reader::Value* node_;  // the value; when absent, its nearest present ancestor
  const json_reader::Value* root_;  // pointers are relative to the document's root
  std::string missing_;             // when absent: the pointer from node_ down to it ("/call/id")
  Errors* errors_;
};

// Records at `event` why this event cannot become a handoff ("missing: …" or "\"x\" cannot carry
// a handoff: …") followed by `accepted`; a non-string event already has its type error.
void reject_event(const Field& event, const char* accepted);

// True when `field` is an object; otherwise records "missing: <shape>" or "must be an object, not
// <type>: <shape>", where `shape` shows what the platform's document looks like.
bool require_object(const Field& field, const char* shape);

// RFC 6901 escaping of one reference token ("~" → "~0", "/" → "~1").
std::string pointer_token(std::string_view key);

// Time fields, converted to the model's integer milliseconds (errors on wrong types, negative
// offsets, unparseable strings and out-of-range values).
std::optional<int64_t> seconds_as_ms(const Field& seconds);     // float seconds → ms
std::optional<int64_t> minutes_as_ms(const Field& minutes);     // float minutes → ms
std::optional<int64_t> epoch_ms(const Field& millis);           // epoch ms number
std::optional<int64_t> iso_time_ms(const Field& text);          // ISO 8601 string with a zone
std::optional<int64_t> epoch_ms_or_iso(const Field& value);     // number (ms) or ISO string

// A result or note shortened for display: at most `max_bytes` bytes of UTF-8, cut at a character
// boundary, with "…" appended when cut; whitespace runs collapse to one space.
std::string short_text(std::string_view text, size_t max_bytes = 200);

// A tool result that may be a string or any JSON value, as short display text.
std::string short_result(const Field& result);

// Reads a platform's free-form key/value object (metadata, structured data, dynamic variables).
// Recognised keys fill the model (see docs/sources.md): session_id, org_id, contact_id,
// handoff_reason, caller_asked, ai_unresolved, follow_up_channel, follow_up_address, sentiment,
// caller_name, caller_email, session_url. Other scalar values (string, number, boolean) become
// custom_fields; the first source to set a key wins, so adapters pass the most specific source
// first. Objects, arrays and nulls are not ticket-field values and are skipped. `skip` (when set)
// skips platform-internal keys such as ElevenLabs' "system__…"; `value_member` (when not empty)
// reads each entry's value from that member ({"key": {"value": …}}).
using KeyFilter = bool (*)(std::string_view key);
void read_key_values(const Field& object, Handoff& out, KeyFilter skip = nullptr,
                     std::string_view value_member = {});

// Platform sentiment words ("Positive"/"Negative"/"Neutral", "happy"/"angry"/…) → model.
std::optional<Sentiment> sentiment_from_text(std::string_view text);

// When no category was given explicitly, infers one from the caller's own words:
// an explicit request for a human → user_request (caller_asked = that turn's text);
// frustration words → frustration; otherwise the category stays unset. Never guesses from nothing.
void infer_reason(Handoff& out);

// For a logged escalation without a follow-up channel: the channel the caller asked for in their
// own words ("call me back" → callback, "email me" → email, "text me" → sms; the latest such turn
// wins), addressed to the caller's number or email when one is known. Otherwise nothing is set.
void infer_follow_up(Handoff& out);

// Strips URI parameters such as ";transport=tls" from a SIP destination; numbers pass unchanged.
std::string transfer_destination_text(std::string_view destination);

}  // namespace phone_handoff::adapters
