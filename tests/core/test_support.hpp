// What several Catch2 test files need, defined once: fixture bytes, nlohmann's dump as the core's
// writer produces it, and one text redacted on its own.
#pragma once

#include <fstream>
#include <sstream>
#include <string>
#include <string_view>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "redact.hpp"

namespace test_support {

// The bytes of a file (the test fails if it cannot be read).
inline std::string file_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  REQUIRE(in.good());
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// The bytes of tests/fixtures/<relative_path>.
inline std::string fixture_text(const std::string& relative_path) {
  return file_text(std::string(PH_FIXTURES_DIR) + "/" + relative_path);
}

// nlohmann's compact dump, invalid UTF-8 replaced by U+FFFD: the bytes the core's JsonWriter writes
// for the same value. (A plain nlohmann::json converts, keeping its sorted member order.)
inline std::string dumped(const nlohmann::ordered_json& value) {
  return value.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
}

// One text redacted alone (no conversation context), with its counts when asked for.
inline std::string redacted(std::string_view text, phone_handoff::RedactionCounts* counts_out = nullptr,
                            phone_handoff::RedactionSettings settings = phone_handoff::RedactionSettings{}) {
  phone_handoff::RedactionCounts counts;
  std::string out = phone_handoff::redact_text(text, settings, counts);
  if (counts_out) *counts_out = counts;
  return out;
}

}  // namespace test_support
