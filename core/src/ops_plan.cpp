// The plan area's operation: which Sunshine Conversations / Zendesk Support requests deliver a
// handoff, given what is already done (docs/plan.md is the protocol the executor follows).
#include <utility>

#include "config.hpp"
#include "ingest.hpp"
#include "json_model.hpp"
#include "ops.hpp"
#include "plan/arguments.hpp"

namespace phone_handoff::ops {
namespace {

using nlohmann::json;
using nlohmann::ordered_json;

std::string errors_result(const Errors& errors) {
  return JsonWriter().begin_object().member("errors", errors_to_json(errors)).end_object().take();
}

}  // namespace

// (handoff[, config[, progress]]) → {"requests", "done", "resolved", "diagnostics"}, or
// {"errors": […]} when the handoff is not a valid canonical handoff. The handoff may also be
// parse's whole {"handoff": …, "warnings": …} result.
std::string plan(const Args& args) {
  const Config config = config_from_json(args.size() > 1 ? args[1] : std::string_view());
  const json progress = plan::progress_from_text(args.size() > 2 ? args[2] : std::string_view());

  json_reader::Document doc;
  Errors errors;
  if (!decode_document(args[0], ParseOptions{}, "handoff", doc, errors)) {
    // Text that is not JSON at all keeps its plain message; the limits explain themselves.
    return errors_result(json::accept(args[0]) ? errors : Errors{{"", "the handoff is not JSON text"}});
  }
  Handoff handoff;
  if (!plan::read_handoff_argument(doc.root(), handoff, errors)) return errors_result(errors);

  JsonWriter out(16 * 1024);
  plan::write_plan_for(out, std::move(handoff), config, progress);
  return out.take();
}

}  // namespace phone_handoff::ops
