// The ingest operations of call(): parse, diagnose, merge.
#include <string>

#include <nlohmann/json.hpp>

#include "diagnose.hpp"
#include "ingest.hpp"
#include "json/writer.hpp"
#include "json_model.hpp"
#include "ops.hpp"

namespace phone_handoff::ops {
namespace {

using nlohmann::ordered_json;

ParseResult parse_args(const Args& args) {
  const ParseOptions options = args.size() > 2 ? parse_options_from_json(args[2]) : ParseOptions{};
  return parse_handoff(args[0], args[1], options);
}

// [{"pointer", "message"}, …], as errors_to_json() writes it.
JsonWriter& write_errors(JsonWriter& out, const Errors& errors) {
  out.begin_array();
  for (const FieldError& e : errors) out.begin_object().member("pointer", e.pointer).member("message", e.message).end_object();
  return out.end_array();
}

std::string errors_result(const Errors& errors) {
  JsonWriter out;
  out.begin_object().key("errors");
  write_errors(out, errors).end_object();
  return out.take();
}

// {"handoff": …} and, for parse, "warnings". Written straight to text (JsonWriter writes what
// nlohmann's dump with U+FFFD for invalid UTF-8 wrote: adapters shorten platform text, and a cut
// inside a UTF-8 sequence must not fail the whole call).
std::string handoff_result(const Handoff& handoff, const Errors* warnings, size_t expected_size) {
  JsonWriter out(expected_size + 1024);
  out.begin_object().key("handoff");
  write_handoff(out, handoff);
  if (warnings) write_errors(out.key("warnings"), *warnings);
  out.end_object();
  return out.take();
}

// Reads one canonical handoff argument of merge; errors are prefixed with `name` ("/existing").
bool read_handoff_arg(std::string_view text, const char* name, Handoff& out, Errors& errors) {
  Errors own;
  const std::string label = std::string(name + 1) + " handoff";  // "existing handoff"
  const bool ok = read_handoff_text(text, label.c_str(), out, own);
  for (FieldError& e : own) errors.push_back({std::string(name) + e.pointer, std::move(e.message)});
  return ok;
}

}  // namespace

std::string parse(const Args& args) {
  const ParseResult result = parse_args(args);
  if (!result.ok) return errors_result(result.errors);
  return handoff_result(result.handoff, &result.warnings, args[1].size());
}

std::string diagnose(const Args& args) {
  const ParseResult result = parse_args(args);
  ordered_json out;
  out["findings"] = findings_to_json(diagnose_parse(args[0], result));
  return out.dump(-1, ' ', false, ordered_json::error_handler_t::replace);
}

// Errors point into {"existing": …, "incoming": …}, i.e. "/incoming/handoff/mode".
std::string merge(const Args& args) {
  Handoff existing, incoming;
  Errors errors;
  const bool existing_ok = read_handoff_arg(args[0], "/existing", existing, errors);
  const bool incoming_ok = read_handoff_arg(args[1], "/incoming", incoming, errors);
  if (!existing_ok || !incoming_ok) return errors_result(errors);
  return handoff_result(merge_handoffs(existing, incoming), nullptr, args[0].size() + args[1].size());
}

}  // namespace phone_handoff::ops
