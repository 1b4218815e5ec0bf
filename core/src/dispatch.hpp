// How an export list runs an operation: argument-count check, the handler, and every failure as
// {"error":{code,message}} JSON. Shared by the full export list (api.cpp) and the sidebar's
// one-operation list (bindings/wasm/sidebar_api.cpp), so both report errors the same way.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "ops.hpp"
#include "phone_handoff/api.hpp"

namespace phone_handoff {

using Handler = std::string (*)(const Args&);

struct Operation {
  OperationInfo info;
  Handler handler;
};

// {"error":{"code":…,"message":…}} as JSON text.
std::string error_json(const std::string& code, const std::string& message);

// Runs `operation` from `table`; an unknown name is an unknown_operation error listing the table.
std::string dispatch(const std::vector<Operation>& table, std::string_view operation, const Args& args);

}  // namespace phone_handoff
