// Shared by the adapter tests: load a platform fixture and run an adapter on it.
#pragma once

#include <string>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "adapters/adapters.hpp"
#include "json/reader.hpp"
#include "test_support.hpp"

namespace adapter_tests {

inline nlohmann::json fixture(const std::string& relative_path) {
  return nlohmann::json::parse(test_support::fixture_text(relative_path));
}

struct Result {
  bool ok = false;
  phone_handoff::Handoff handoff;
  phone_handoff::Errors errors;
};

// Runs the adapter on the same values as a json_reader document (the tests edit fixtures as
// nlohmann values).
inline Result run(phone_handoff::adapters::Adapter adapter, const nlohmann::json& doc) {
  Result r;
  const auto read = phone_handoff::json_reader::Document::from(doc);
  r.ok = adapter(read.root(), r.handoff, r.errors);
  return r;
}

// JSON text read as the ingest path reads it; `text` must outlive the document.
inline phone_handoff::json_reader::Document document(std::string_view text) {
  phone_handoff::json_reader::Document doc;
  REQUIRE(doc.parse(text, 64));
  return doc;
}

inline bool has_error(const phone_handoff::Errors& errors, const std::string& pointer,
                      const std::string& message_part) {
  for (const auto& e : errors)
    if (e.pointer == pointer && e.message.find(message_part) != std::string::npos) return true;
  return false;
}

// "pointer: message" lines, for readable failure output and exact comparisons.
inline std::string describe(const phone_handoff::Errors& errors) {
  std::string out;
  for (const auto& e : errors) out += e.pointer + ": " + e.message + "\n";
  return out;
}

}  // namespace adapter_tests
