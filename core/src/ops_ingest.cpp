// The ingest operations of call(): parse, diagnose, merge.
#include <string>

#include <nlohmann/json.hpp>

#include "diagnose.hpp"
#include "ingest.hpp"
#include "json_model.hpp"
#include "ops.hpp"

namespace phone_handoff::ops {
namespace {

using nlohmann::ordered_json;

// Adapters shorten platform text; should one ever cut inside a UTF-8 sequence, the result shows
// U+FFFD there instead of failing the whole call.
std::string dump(const ordered_json& j) {
  return j.dump(-1, ' ', false, ordered_json::error_handler_t::replace);
}

ParseResult parse_args(const Args& args) {
  const ParseOptions options = args.size() > 2 ? parse_options_from_json(args[2]) : ParseOptions{};
  return parse_handoff(args[0], args[1], options);
}

std::string errors_result(const Errors& errors) {
  ordered_json out;
  out["errors"] = errors_to_json(errors);
  return dump(out);
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
  ordered_json out;
  out["handoff"] = handoff_to_json(result.handoff);
  out["warnings"] = errors_to_json(result.warnings);
  return dump(out);
}

std::string diagnose(const Args& args) {
  const ParseResult result = parse_args(args);
  ordered_json out;
  out["findings"] = findings_to_json(diagnose_parse(args[0], result));
  return dump(out);
}

// Errors point into {"existing": …, "incoming": …}, i.e. "/incoming/handoff/mode".
std::string merge(const Args& args) {
  Handoff existing, incoming;
  Errors errors;
  const bool existing_ok = read_handoff_arg(args[0], "/existing", existing, errors);
  const bool incoming_ok = read_handoff_arg(args[1], "/incoming", incoming, errors);
  if (!existing_ok || !incoming_ok) return errors_result(errors);
  ordered_json out;
  out["handoff"] = handoff_to_json(merge_handoffs(existing, incoming));
  return dump(out);
}

}  // namespace phone_handoff::ops
