// The canonical handoff's JSON form (the contract between areas; see docs/handoff.schema.json).
// Writing omits absent values; reading is strict about types and lenient about presence: unknown
// fields are ignored, null means absent, and every wrong value is reported (not just the first)
// with a JSON pointer and a plain-English message.
#pragma once

#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "json/reader.hpp"
#include "phone_handoff/model.hpp"

namespace phone_handoff {

nlohmann::ordered_json handoff_to_json(const Handoff& handoff);

class JsonWriter;
// The same JSON written as text straight into `out` (json/writer.hpp): for results, where
// building the DOM first would cost more than the rest of the operation.
void write_handoff(JsonWriter& out, const Handoff& handoff);

// Fills `out` from `doc`. Returns false (with at least one entry in `errors`) when the document
// is not a valid canonical handoff; `out` then holds whatever could be read.
// Required: "call_id" and "handoff.mode". "version" is not checked here (the canonical adapter
// checks it on incoming webhooks); other areas read handoffs produced by parse with this.
bool handoff_from_json(const json_reader::Value& doc, Handoff& out, Errors& errors);
// The same from an nlohmann document (copied into a json_reader document first). From JSON text,
// read_handoff_text (ingest.hpp) is quicker: it never builds the nlohmann document.
bool handoff_from_json(const nlohmann::json& doc, Handoff& out, Errors& errors);

// [{"pointer": "…", "message": "…"}, …]
nlohmann::ordered_json errors_to_json(const Errors& errors);

// RFC 6901: appends one reference token ("~" → "~0", "/" → "~1") to a pointer.
std::string pointer_append(std::string_view pointer, std::string_view token);
std::string pointer_append(std::string_view pointer, size_t index);

// Enum spellings of the canonical JSON, shared by every area that writes or reads them.
const char* to_string(Speaker);
const char* to_string(Direction);
const char* to_string(Mode);
const char* to_string(FollowUpChannel);
const char* to_string(ReasonCategory);
const char* to_string(Sentiment);

}  // namespace phone_handoff
