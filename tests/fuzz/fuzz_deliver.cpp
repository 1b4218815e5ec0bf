// deliver(source, body[, config[, progress]]): the whole pipeline in one call must agree with its
// steps. The first byte names the source (as in fuzz_parse); body, config and progress are
// separated by NUL bytes. When deliver plans, parse then plan of the same input must give the
// same plan and warnings; when it rejects the body, parse must reject it with the same errors.
#include "fuzz_support.hpp"

using namespace phone_handoff::fuzz;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const SourcedInput input = split_source(data, size);
  const std::vector<std::string_view> parts = split_nul(input.body, 3);
  const std::string_view body = parts[0];
  const std::string_view config = parts.size() > 1 ? parts[1] : std::string_view();
  const std::string_view progress = parts.size() > 2 ? parts[2] : std::string_view();

  const nlohmann::json delivered = checked_call("deliver", {input.source, body, config, progress});
  if (!delivered.is_object() || delivered.contains("error")) return 0;  // a usage error: nothing to compare

  const nlohmann::json parsed = checked_call("parse", {input.source, body});
  if (delivered.contains("errors")) {
    if (!parsed.contains("errors") || parsed["errors"] != delivered["errors"])
      fail("deliver", "rejected a body that parse reads differently", delivered.dump());
    return 0;
  }
  if (!parsed.contains("handoff")) fail("deliver", "planned a body that parse rejects", parsed.dump());
  const nlohmann::json planned = checked_call("plan", {parsed["handoff"].dump(), config, progress});
  if (delivered["plan"] != planned) fail("deliver", "plan differs from parse then plan", delivered.dump());
  const nlohmann::json warnings = parsed.value("warnings", nlohmann::json::array());
  if (delivered.value("warnings", nlohmann::json::array()) != warnings)
    fail("deliver", "warnings differ from parse's", delivered.dump());
  return 0;
}
