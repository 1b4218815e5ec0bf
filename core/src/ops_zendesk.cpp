// The Zendesk output operations of call(): redact and render (docs/zendesk-output.md).
#include <string>

#include <nlohmann/json.hpp>

#include "config.hpp"
#include "ingest.hpp"
#include "json/writer.hpp"
#include "json_model.hpp"
#include "ops.hpp"
#include "plan/arguments.hpp"
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
  json_reader::Document doc;  // points into args[0]
  Errors errors;
  bool ok = false;
};

Input read_input(const Args& args, const char* what) {
  Input in;
  if (args.size() > 1) in.config = config_from_json(args[1]);
  in.ok = decode_document(args[0], ParseOptions{}, what, in.doc, in.errors);
  return in;
}

}  // namespace

std::string redact(const Args& args) {
  Input in = read_input(args, "input");
  if (!in.ok) return errors_result(in.errors);
  const json_reader::Value& doc = in.doc.root();

  RedactionCounts counts;
  JsonWriter out(args[0].size() + 256);
  out.begin_object();
  // {"text": "…"} on its own is a single text; anything else must be a handoff.
  const json_reader::Value* text = doc.is_object() ? doc.find("text") : nullptr;
  if (text && !doc.find("call_id") && !doc.find("handoff")) {
    if (!text->is_string()) return errors_result({{"/text", "expected a string"}});
    out.member("text", redact_text(text->string(), in.config.redaction, counts));
  } else {
    Handoff handoff;
    if (!plan::read_handoff_argument(doc, handoff, in.errors)) return errors_result(in.errors);
    counts = redact_handoff(handoff, in.config.redaction);
    write_handoff(out.key("handoff"), handoff);
  }
  out.member("redactions", redaction_counts_to_json(counts)).end_object();
  return out.take();
}

std::string render(const Args& args) {
  Input in = read_input(args, "handoff");
  Handoff handoff;
  if (!in.ok || !plan::read_handoff_argument(in.doc.root(), handoff, in.errors)) return errors_result(in.errors);
  JsonWriter out(args[0].size() + 16 * 1024);
  render::write_render_output(out, render::render_handoff(std::move(handoff), in.config));
  return out.take();
}

}  // namespace phone_handoff::ops
