#include "phone_handoff/api.hpp"

#include <exception>
#include <string>

#include <nlohmann/json.hpp>

#include "ops.hpp"

namespace phone_handoff {
namespace {

using Handler = std::string (*)(const Args&);

struct Operation {
  OperationInfo info;
  Handler handler;
};

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

std::string error_json(const std::string& code, const std::string& message) {
  nlohmann::ordered_json j;
  j["error"] = {{"code", code}, {"message", message}};
  return j.dump();
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

const char* version() { return "0.1.0"; }

std::string call(std::string_view operation, const std::vector<std::string_view>& args) {
  for (const auto& op : table()) {
    if (operation != op.info.name) continue;
    if (args.size() < op.info.min_args || args.size() > op.info.max_args) {
      return error_json("bad_arguments", std::string(op.info.name) + " takes (" +
                                             op.info.arguments + "), got " +
                                             std::to_string(args.size()) + " argument(s)");
    }
    try {
      return op.handler(args);
    } catch (const UsageError& e) {
      return error_json(e.code, e.what());
    } catch (const std::bad_alloc&) {
      return error_json("out_of_memory", "out of memory");
    } catch (const std::exception& e) {
      // A bug, not a user error: say so plainly rather than crash the host process.
      return error_json("internal", std::string("internal error: ") + e.what());
    }
  }
  std::string known;
  for (const auto& op : table()) known += (known.empty() ? "" : ", ") + std::string(op.info.name);
  return error_json("unknown_operation",
                    "unknown operation '" + std::string(operation) + "' (known: " + known + ")");
}

}  // namespace phone_handoff
