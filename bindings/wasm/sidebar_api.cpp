// The sidebar app's export list: the public surface of phone_handoff/api.hpp with only the
// operation the Zendesk sidebar calls. Linked into the sidebar's wasm module in place of
// core/src/api.cpp (see CMakeLists.txt), so the linker leaves out every other operation — the
// adapters, render, the planner, the crypto — and the browser downloads a fraction of the core.
// Behaves like api.cpp for `conversation`; any other operation is an unknown_operation error
// ("known: conversation").
#include "phone_handoff/api.hpp"

#include <string>

#include "dispatch.hpp"

namespace phone_handoff {
namespace {

const std::vector<Operation>& table() {
  static const std::vector<Operation> t = {
      {{"conversation", 1, 2, "ticket conversation[, config]"}, ops::conversation},
  };
  return t;
}

}  // namespace

const std::vector<OperationInfo>& operations() {
  static const std::vector<OperationInfo> infos = {table()[0].info};
  return infos;
}

// The project version, as the full core reports it (CMake passes PROJECT_VERSION).
const char* version() { return PH_VERSION; }

std::string call(std::string_view operation, const std::vector<std::string_view>& args) {
  return dispatch(table(), operation, args);
}

}  // namespace phone_handoff
