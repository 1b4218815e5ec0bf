// Webhook signatures. The first byte picks the source; the rest is headers JSON, a NUL byte and
// the body (no NUL: all of it is the body). Arbitrary headers must be judged, never crash; and
// whatever the body, verify() must accept what sign() produced for it with the same secret.
#include "fuzz_support.hpp"

using namespace phone_handoff::fuzz;

namespace {
const char* const kNow = "1767225600000";  // 2026-01-01T00:00:00Z in Unix milliseconds

std::string auth_for(std::string_view source) {
  if (source == "canonical") return R"({"secrets":["whsec_ZnV6eiB0ZXN0IGtleQ=="]})";
  if (source == "vapi") return R"({"secrets":["fuzz-secret"],"auth":{"type":"hmac"}})";
  return R"({"secrets":["fuzz-secret"]})";
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const SourcedInput input = split_source(data, size);
  std::string_view headers = "{}";
  std::string_view body = input.body;
  const std::size_t nul = body.find('\0');
  if (nul != std::string_view::npos) {
    headers = body.substr(0, nul);
    body.remove_prefix(nul + 1);
  }
  const std::string auth = auth_for(input.source);
  const nlohmann::json parsed_headers = nlohmann::json::parse(headers, nullptr, false);
  if (parsed_headers.is_object()) {
    const std::string request = nlohmann::json{{"headers", parsed_headers}, {"now", 1767225600000}}
                                    .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    checked_call("verify", {input.source, request, body, auth});
  }
  const nlohmann::json signed_headers = checked_call("sign", {input.source, body, auth, kNow});
  if (signed_headers.contains("headers")) {
    const std::string request =
        nlohmann::json{{"headers", signed_headers["headers"]}, {"now", 1767225600000}}.dump();
    const nlohmann::json verdict = checked_call("verify", {input.source, request, body, auth});
    if (verdict.value("ok", false) != true)
      fail("verify", "rejected a body signed by sign() with the same secret", verdict.dump());
  }
  return 0;
}
