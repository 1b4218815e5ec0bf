#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "phone_handoff/api.hpp"

using phone_handoff::call;

TEST_CASE("call reports an unknown operation as an error object, naming the known ones") {
  auto j = nlohmann::json::parse(call("nope", {}));
  REQUIRE(j["error"]["code"] == "unknown_operation");
  REQUIRE(j["error"]["message"].get<std::string>().find("parse") != std::string::npos);
}

TEST_CASE("an unknown operation's name that is not UTF-8 is quoted with U+FFFD, never thrown") {
  std::string result;
  REQUIRE_NOTHROW(result = call(std::string("no\xff\xfepe"), {}));
  auto j = nlohmann::json::parse(result);
  REQUIRE(j["error"]["code"] == "unknown_operation");
  REQUIRE(j["error"]["message"].get<std::string>().rfind("unknown operation 'no\xEF\xBF\xBD", 0) == 0);
}

TEST_CASE("call checks the argument count against the export list") {
  auto j = nlohmann::json::parse(call("parse", {"vapi"}));
  REQUIRE(j["error"]["code"] == "bad_arguments");
  REQUIRE(j["error"]["message"] == "parse takes (source, body[, options]), got 1 argument(s)");
}

TEST_CASE("the export list names every operation once") {
  const auto& ops = phone_handoff::operations();
  REQUIRE(ops.size() >= 9);
  for (size_t i = 0; i < ops.size(); ++i)
    for (size_t k = i + 1; k < ops.size(); ++k) REQUIRE(std::string(ops[i].name) != ops[k].name);
}
