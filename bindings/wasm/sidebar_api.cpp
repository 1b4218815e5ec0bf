// The sidebar app's export list: the public surface of phone_handoff/api.hpp with only the
// operation the Zendesk sidebar calls. Linked into the sidebar's wasm module in place of
// core/src/api.cpp (see CMakeLists.txt), so the linker leaves out every other operation — the
// adapters, render, the planner, the crypto — and the browser downloads a fraction of the core.
// Behaves like api.cpp for `conversation`; any other operation is an unknown_operation error.
#include "phone_handoff/api.hpp"

#include <exception>
#include <string>

#include <nlohmann/json.hpp>

#include "ops.hpp"

namespace phone_handoff {
namespace {

const OperationInfo kConversation = {"conversation", 1, 2, "ticket conversation[, config]"};

std::string error_json(const std::string& code, const std::string& message) {
  nlohmann::ordered_json j;
  j["error"] = {{"code", code}, {"message", message}};
  return j.dump();
}

}  // namespace

const std::vector<OperationInfo>& operations() {
  static const std::vector<OperationInfo> infos = {kConversation};
  return infos;
}

// The project version, as the full core reports it (CMake passes PROJECT_VERSION).
const char* version() { return PH_VERSION; }

std::string call(std::string_view operation, const std::vector<std::string_view>& args) {
  if (operation != kConversation.name) {
    return error_json("unknown_operation", "unknown operation '" + std::string(operation) +
                                               "' (this build has only: conversation)");
  }
  if (args.size() < kConversation.min_args || args.size() > kConversation.max_args) {
    return error_json("bad_arguments", std::string("conversation takes (") + kConversation.arguments +
                                           "), got " + std::to_string(args.size()) + " argument(s)");
  }
  try {
    return ops::conversation(args);
  } catch (const UsageError& e) {
    return error_json(e.code, e.what());
  } catch (const std::bad_alloc&) {
    return error_json("out_of_memory", "out of memory");
  } catch (const std::exception& e) {
    return error_json("internal", std::string("internal error: ") + e.what());
  }
}

}  // namespace phone_handoff
