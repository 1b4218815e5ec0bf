// deliver: webhook body in, Sunshine plan out, in one call. The same steps as parse followed by
// plan (docs/plan.md § deliver), but the handoff stays in C++ between them: no JSON text is
// written and read back, and render (with its redaction) runs once.
#include <utility>

#include "config.hpp"
#include "ingest.hpp"
#include "json_model.hpp"
#include "ops.hpp"
#include "plan/arguments.hpp"

namespace phone_handoff::ops {

// (source, body[, config[, progress[, options]]]) → {"plan": <what plan() returns for the parsed
// handoff>, "warnings": <parse's warnings>}, or parse's {"errors": […]} for a body that is not a
// valid payload. Every caller argument is checked before the body is read.
std::string deliver(const Args& args) {
  const Config config = config_from_json(args.size() > 2 ? args[2] : std::string_view());
  const nlohmann::json progress = plan::progress_from_text(args.size() > 3 ? args[3] : std::string_view());
  const ParseOptions options = args.size() > 4 ? parse_options_from_json(args[4]) : ParseOptions{};

  ParseResult parsed = parse_handoff(args[0], args[1], options);
  if (!parsed.ok)
    return JsonWriter().begin_object().member("errors", errors_to_json(parsed.errors)).end_object().take();

  // The plan holds every transcript part (each up to 4096 characters) once: about the body's size.
  JsonWriter out(args[1].size() + 16 * 1024);
  out.begin_object().key("plan");
  plan::write_plan_for(out, std::move(parsed.handoff), config, progress);
  out.member("warnings", errors_to_json(parsed.warnings)).end_object();
  return out.take();
}

}  // namespace phone_handoff::ops
