// Internal: one function per operation of the public call(). Each takes the raw arguments and
// returns JSON text; a caller mistake is reported by throwing UsageError, which call() turns into
// {"error":{…}}. Each area owns its own ops_<area>.cpp.
#pragma once

#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace phone_handoff {

using Args = std::vector<std::string_view>;

// A mistake in how the core was called (as opposed to a bad payload, which is a result).
struct UsageError : std::runtime_error {
  std::string code;
  UsageError(std::string c, const std::string& message)
      : std::runtime_error(message), code(std::move(c)) {}
};

namespace ops {
std::string parse(const Args&);         // ops_ingest.cpp:  (source, body[, options])
std::string diagnose(const Args&);      // ops_ingest.cpp:  (source, body[, options])
std::string merge(const Args&);         // ops_ingest.cpp:  (existing handoff, incoming handoff)
std::string redact(const Args&);        // ops_zendesk.cpp: (handoff | {"text":…}[, config])
std::string render(const Args&);        // ops_zendesk.cpp: (handoff[, config])
std::string plan(const Args&);          // ops_plan.cpp:    (handoff[, config[, progress]])
std::string deliver(const Args&);       // ops_deliver.cpp: (source, body[, config[, progress[, options]]])
std::string verify(const Args&);        // ops_signature.cpp: (source, request, body[, auth])
std::string sign(const Args&);          // ops_signature.cpp: (source, body, auth[, now])
std::string conversation(const Args&);  // ops_sidebar.cpp: (ticket conversation[, config])
}  // namespace ops
}  // namespace phone_handoff
