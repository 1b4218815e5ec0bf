// Ingest: webhook bytes → canonical Handoff. Bounded before anything is built (size, nesting
// depth, UTF-8), then the platform's adapter, then normalize(). Also the merge of two events
// that describe the same call.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "json/reader.hpp"
#include "normalize.hpp"
#include "phone_handoff/model.hpp"

namespace phone_handoff {

struct ParseOptions {
  size_t max_bytes = 5 * 1024 * 1024;
  int max_depth = 64;                 // nesting of objects/arrays; the top-level value is 1
  std::string default_country_code;   // digits, e.g. "1"; empty = national numbers are errors
};

// The options argument ({"maxBytes", "maxDepth", "defaultCountryCode"}; empty text = defaults).
// Throws UsageError("bad_options", …) on malformed JSON, unknown keys or out-of-range values.
ParseOptions parse_options_from_json(std::string_view text);

struct ParseResult {
  bool ok = false;
  Handoff handoff;           // normalized when ok; when only normalize failed, as far as it got
  Errors errors;
  Errors warnings;
  bool adapted = false;      // the adapter produced a handoff (even if normalize then failed)
  NormalizeReport report;
};

// The sources, in the order error messages list them.
const char* const* known_sources();  // null-terminated
bool is_known_source(std::string_view source);

// Reads JSON text within the limits: size checked before parsing, depth and UTF-8 checked by a
// linear pre-scan so no deeper DOM is ever built. Returns false with one error (pointer "") when
// the text is rejected; `what` names the text in messages ("body", "existing handoff", …).
bool decode_json(std::string_view text, const ParseOptions& options, const char* what,
                 nlohmann::json& out, Errors& errors);

// The same into a json_reader document (the webhook path: no nlohmann DOM is built). Accepts and
// rejects exactly what decode_json does, with the same messages. `out` points into `text`.
bool decode_document(std::string_view text, const ParseOptions& options, const char* what,
                     json_reader::Document& out, Errors& errors);

// A canonical handoff given as JSON text (an argument of another operation): decode_document
// with the default limits, then handoff_from_json. `what` names it in messages ("handoff").
bool read_handoff_text(std::string_view text, const char* what, Handoff& out, Errors& errors);

// Throws UsageError("unknown_source") for a source not in known_sources().
ParseResult parse_handoff(std::string_view source, std::string_view body, const ParseOptions& options);

// A later event for the same call enriches the earlier one. Every field: the incoming value
// when it has one, else the existing one (so no value present in either is lost); custom fields
// are united (incoming wins per key). The mode is live_transfer when either says so: a transfer
// that happened stays a fact of the call. The transcript (and the tool calls) are taken whole
// from whichever has more entries, the incoming one on a tie: transcripts of one call only grow,
// and mixing turns of two renderings of the same conversation would duplicate them.
// Throws UsageError("not_same_call") when (source, call_id) differ.
Handoff merge_handoffs(const Handoff& existing, const Handoff& incoming);

}  // namespace phone_handoff
