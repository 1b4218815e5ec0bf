// Every adapter (canonical, vapi, retell, elevenlabs, bland) and the normalizer behind them:
// parse(source, body) on arbitrary bytes, then diagnose() on the same bytes. A payload that
// parses must come back as a handoff that the core itself accepts again (canonical round trip).
#include "fuzz_support.hpp"

using namespace phone_handoff::fuzz;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const SourcedInput input = split_source(data, size);
  const nlohmann::json parsed = checked_call("parse", {input.source, input.body});
  checked_call("diagnose", {input.source, input.body});
  if (parsed.is_object() && parsed.contains("handoff")) {
    const std::string canonical = parsed["handoff"].dump();
    const nlohmann::json again = checked_call("parse", {"canonical", canonical});
    if (!again.contains("handoff")) fail("parse", "a parsed handoff is not accepted as canonical input", again.dump());
  }
  return 0;
}
