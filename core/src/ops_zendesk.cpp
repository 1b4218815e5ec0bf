// The Zendesk output operations of call(): redact and render (docs/zendesk-output.md).
#include <string>

#include <nlohmann/json.hpp>

#include "config.hpp"
#include "ingest.hpp"
#include "json_model.hpp"
#include "ops.hpp"
#include "redact.hpp"
#include "render/metadata.hpp"
#include "render/render.hpp"

namespace phone_handoff::ops {
namespace {

using nlohmann::ordered_json;

std::string errors_result(const Errors& errors) {
  ordered_json out;
  out["errors"] = errors_to_json(errors);
  return render::dump(out);
}

// Both operations take (JSON document[, config]).
struct Input {
  Config config;
  nlohmann::json doc;
  Errors errors;
  bool ok = false;
};

Input read_input(const Args& args, const char* what) {
  Input in;
  in.config = args.size() > 1 ? config_from_json(args[1]) : Config{};
  in.ok = decode_json(args[0], ParseOptions{}, what, in.doc, in.errors);
  return in;
}

// A handoff as parse returns it: either the handoff itself or parse's {"handoff": …} result.
bool read_handoff(const nlohmann::json& doc, Handoff& out, Errors& errors) {
  const bool wrapped = doc.is_object() && !doc.contains("call_id") && doc.contains("handoff") &&
                       doc["handoff"].is_object() && doc["handoff"].contains("call_id");
  if (!wrapped) return handoff_from_json(doc, out, errors);
  Errors own;
  const bool ok = handoff_from_json(doc["handoff"], out, own);
  for (FieldError& e : own) errors.push_back({"/handoff" + e.pointer, std::move(e.message)});
  return ok;
}

}  // namespace

std::string redact(const Args& args) {
  Input in = read_input(args, "input");
  if (!in.ok) return errors_result(in.errors);
  const nlohmann::json& doc = in.doc;

  RedactionCounts counts;
  ordered_json out;
  // {"text": "…"} on its own is a single text; anything else must be a handoff.
  if (doc.is_object() && doc.contains("text") && !doc.contains("call_id") && !doc.contains("handoff")) {
    if (!doc["text"].is_string()) return errors_result({{"/text", "expected a string"}});
    out["text"] = redact_text(doc["text"].get<std::string>(), in.config.redaction, counts);
  } else {
    Handoff handoff;
    if (!read_handoff(doc, handoff, in.errors)) return errors_result(in.errors);
    counts = redact_handoff(handoff, in.config.redaction);
    out["handoff"] = handoff_to_json(handoff);
  }
  out["redactions"] = redaction_counts_to_json(counts);
  return render::dump(out);
}

std::string render(const Args& args) {
  Input in = read_input(args, "handoff");
  Handoff handoff;
  if (!in.ok || !read_handoff(in.doc, handoff, in.errors)) return errors_result(in.errors);
  return render::dump(render::render_output_to_json(render::render_handoff(std::move(handoff), in.config)));
}

}  // namespace phone_handoff::ops
