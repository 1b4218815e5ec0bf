// The public surface of the core: one coarse call. Bindings (Node addon, WebAssembly) expose
// exactly this and nothing else, so every backend behaves the same by construction.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace phone_handoff {

// Runs `operation` (one of operations()) on whole payloads: each argument is bytes or JSON text.
// Always returns JSON text: the operation's result, or {"error":{"code":"…","message":"…"}} when
// the call itself is wrong (unknown operation, wrong argument count, malformed options). Never
// throws; invalid *payloads* are results (e.g. {"errors":[…]}), not errors.
std::string call(std::string_view operation, const std::vector<std::string_view>& args);

struct OperationInfo {
  const char* name;
  unsigned min_args;
  unsigned max_args;
  const char* arguments;   // human-readable argument list, for error messages and docs
};

// The explicit export list.
const std::vector<OperationInfo>& operations();

const char* version();

}  // namespace phone_handoff
