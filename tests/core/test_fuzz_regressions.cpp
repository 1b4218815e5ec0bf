// Inputs the fuzzers (tests/fuzz/, `npm run fuzz`) found crashing, kept as regressions. Each input
// is also a file in tests/fixtures/fuzz/<target>-<what>.bin, in its target's input format (see
// tests/fuzz/fuzz_<target>.cpp), which later fuzz runs replay as seeds.
#include <catch2/catch.hpp>

#include <string>

#include <nlohmann/json.hpp>

#include "normalize.hpp"
#include "phone_handoff/api.hpp"
#include "test_support.hpp"

using namespace phone_handoff;

namespace {

std::string fuzz_input(const std::string& name) { return test_support::fixture_text("fuzz/" + name); }

// nlohmann's strict dump() throws on invalid UTF-8: exactly what the bug was.
bool is_valid_utf8(const std::string& s) {
  try {
    (void)nlohmann::json(s).dump();
    return true;
  } catch (const nlohmann::json::type_error&) {
    return false;
  }
}

}  // namespace

TEST_CASE("fuzz: a phone number holding one byte of a UTF-8 character is invalid, not an exception", "[fuzz]") {
  const std::string input = fuzz_input("fuzz_normalize-lone-utf8-byte.bin");   // country byte + 0xCA
  REQUIRE(input.size() == 2);
  PhoneNumber number;
  REQUIRE_NOTHROW(number = normalize_phone(input.substr(1), "1"));
  CHECK(number.kind == PhoneNumber::Kind::invalid);
  CHECK(is_valid_utf8(number.problem));
}

TEST_CASE("fuzz: a non-ASCII character in a caller's number is a payload error, not an internal one", "[fuzz]") {
  const std::string input = fuzz_input("fuzz_parse-non-ascii-phone.bin");   // '0' (canonical) + body
  REQUIRE(input.at(0) == '0');
  const auto result = nlohmann::json::parse(call("parse", {"canonical", std::string_view(input).substr(1)}));
  REQUIRE_FALSE(result.contains("error"));
  REQUIRE(result.contains("errors"));
  bool caller_phone_reported = false;
  for (const auto& e : result["errors"]) caller_phone_reported |= e["pointer"] == "/caller/phone";
  CHECK(caller_phone_reported);
}

TEST_CASE("fuzz: signing and verifying an empty body given as a null view", "[fuzz]") {
  REQUIRE(fuzz_input("fuzz_verify-empty-input.bin").empty());
  const std::string_view empty_body;   // data() == nullptr: what the fuzzer passes for no bytes
  const std::string auth = R"({"secrets":["fuzz-secret"],"auth":{"type":"hmac"}})";
  const auto signed_headers = nlohmann::json::parse(call("sign", {"vapi", empty_body, auth, "1767225600000"}));
  REQUIRE(signed_headers.contains("headers"));
  const std::string request =
      nlohmann::json{{"headers", signed_headers["headers"]}, {"now", 1767225600000}}.dump();
  const auto verdict = nlohmann::json::parse(call("verify", {"vapi", request, empty_body, auth}));
  CHECK(verdict.value("ok", false));
}
