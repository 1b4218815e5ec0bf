// The redactor on free text ({"text": …}) and on a handoff: arbitrary bytes must never crash it,
// and redacting twice must change nothing more (redaction is documented as idempotent).
#include "fuzz_support.hpp"

using namespace phone_handoff::fuzz;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  // As a handoff (the seeds are canonical handoffs and platform payloads).
  checked_call("redact", {bytes});
  // As free text: wrap the bytes as a JSON string (invalid UTF-8 is replaced, so the text
  // reaches the redactor rather than stopping at the JSON reader).
  const std::string text_arg =
      nlohmann::json{{"text", std::string(bytes)}}.dump(-1, ' ', false,
                                                       nlohmann::json::error_handler_t::replace);
  const nlohmann::json once = checked_call("redact", {text_arg});
  if (once.is_object() && once.contains("text") && once["text"].is_string()) {
    const std::string again_arg = nlohmann::json{{"text", once["text"]}}.dump();
    const nlohmann::json twice = checked_call("redact", {again_arg});
    if (twice.contains("text") && twice["text"] != once["text"])
      fail("redact", "redacting already-redacted text changed it", twice.dump());
  }
  return 0;
}
