// Reading the executor's progress document. Progress is written only through the protocol
// (docs/plan.md: "set" and "capture" at JSON pointers), so a value of the wrong type there is a
// caller mistake: it throws UsageError("bad_progress") naming the pointer, instead of being
// silently read as "not done" (which would repeat a request that already succeeded).
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace phone_handoff::plan {

class Progress {
 public:
  // Throws UsageError("bad_progress") unless `doc` is an object (null counts as empty).
  explicit Progress(const nlohmann::json& doc);

  // The value at `pointer`, or nullptr when it (or a parent) is missing or null.
  const nlohmann::json* find(std::string_view pointer) const;
  bool has(std::string_view pointer) const { return find(pointer) != nullptr; }

  // Typed reads: nullopt when absent; UsageError when present with another type.
  std::optional<std::string> text(std::string_view pointer) const;
  std::optional<bool> boolean(std::string_view pointer) const;
  std::optional<int64_t> integer(std::string_view pointer) const;
  // An id as the APIs return them: a string or a whole number, read back as text.
  std::optional<std::string> id(std::string_view pointer) const;
  // An object (e.g. a captured activeSwitchboardIntegration) or an array; nullptr when absent.
  const nlohmann::json* object(std::string_view pointer) const;
  const nlohmann::json* array(std::string_view pointer) const;

 private:
  [[noreturn]] void wrong_type(std::string_view pointer, const char* expected) const;
  const nlohmann::json& doc_;
};

}  // namespace phone_handoff::plan
