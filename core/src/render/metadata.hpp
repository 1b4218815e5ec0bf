// A flat Sunshine metadata object kept under a byte budget as it is filled. Sunshine caps every
// metadata object at 4 KB; the size counted here is the compact JSON text of the object (keys,
// quotes, escapes and all), which is what travels, so staying under it here stays under there.
#pragma once

#include <cstddef>
#include <string>

#include <nlohmann/json.hpp>

namespace phone_handoff::render {

constexpr size_t kMetadataLimit = 4096;

class FlatMetadata {
 public:
  explicit FlatMetadata(size_t budget_bytes = kMetadataLimit) : budget_(budget_bytes) {}

  enum class Outcome { added, truncated, dropped };

  // Adds key=value when it fits; otherwise adds nothing and says so.
  Outcome add(const std::string& key, const nlohmann::ordered_json& value);
  // Adds a string, cutting it (UTF-8 safe, ending "…") when the whole value does not fit but at
  // least `min_bytes` of it does.
  Outcome add_truncating(const std::string& key, const std::string& value, size_t min_bytes = 16);

  size_t bytes() const;
  size_t room() const { return budget_ > bytes() ? budget_ - bytes() : 0; }
  const nlohmann::ordered_json& json() const { return object_; }

  // The compact JSON size of one "key":value member.
  static size_t member_bytes(const std::string& key, const nlohmann::ordered_json& value);

 private:
  size_t budget_;
  size_t members_bytes_ = 0;   // sum of member_bytes over the object
  nlohmann::ordered_json object_ = nlohmann::ordered_json::object();
};

// The compact JSON text of any value, invalid UTF-8 replaced (never throws).
std::string dump(const nlohmann::ordered_json& value);

}  // namespace phone_handoff::render
