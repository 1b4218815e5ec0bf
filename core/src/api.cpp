#include "phone_handoff/api.hpp"

#include <string>

#include "dispatch.hpp"

namespace phone_handoff {
namespace {

// The explicit export list: adding an operation means adding a line here and nowhere else.
const std::vector<Operation>& table() {
  static const std::vector<Operation> t = {
      {{"parse", 2, 3, "source, body[, options]"}, ops::parse},
      {{"diagnose", 2, 3, "source, body[, options]"}, ops::diagnose},
      {{"merge", 2, 2, "existing handoff, incoming handoff"}, ops::merge},
      {{"redact", 1, 2, "handoff | {\"text\"}[, config]"}, ops::redact},
      {{"render", 1, 2, "handoff[, config]"}, ops::render},
      {{"plan", 1, 3, "handoff[, config[, progress]]"}, ops::plan},
      {{"deliver", 2, 5, "source, body[, config[, progress[, options]]]"}, ops::deliver},
      {{"verify", 3, 4, "source, request, body[, auth]"}, ops::verify},
      {{"sign", 3, 4, "source, body, auth[, now]"}, ops::sign},
      {{"conversation", 1, 2, "ticket conversation[, config]"}, ops::conversation},
  };
  return t;
}

}  // namespace

const std::vector<OperationInfo>& operations() {
  static const std::vector<OperationInfo> infos = [] {
    std::vector<OperationInfo> v;
    for (const auto& op : table()) v.push_back(op.info);
    return v;
  }();
  return infos;
}

#ifndef PH_VERSION
#error "PH_VERSION comes from the project() version in CMakeLists.txt"
#endif
const char* version() { return PH_VERSION; }

std::string call(std::string_view operation, const std::vector<std::string_view>& args) {
  return dispatch(table(), operation, args);
}

}  // namespace phone_handoff
