#include "dispatch.hpp"

#include <exception>

#include "json/writer.hpp"

namespace phone_handoff {

// Written with JsonWriter, not an nlohmann DOM: a message may quote bytes the caller sent (an
// unknown operation's name), which must come out as U+FFFD rather than throw, and the sidebar's
// module then needs no nlohmann serializer at all.
std::string error_json(const std::string& code, const std::string& message) {
  JsonWriter out(64 + code.size() + message.size());
  out.begin_object().key("error").begin_object().member("code", code).member("message", message).end_object().end_object();
  return out.take();
}

std::string dispatch(const std::vector<Operation>& table, std::string_view operation, const Args& args) {
  for (const auto& op : table) {
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
  for (const auto& op : table) known += (known.empty() ? "" : ", ") + std::string(op.info.name);
  return error_json("unknown_operation",
                    "unknown operation '" + std::string(operation) + "' (known: " + known + ")");
}

}  // namespace phone_handoff
