#include "render/metadata.hpp"

#include "json/writer.hpp"
#include "render/utf8.hpp"

namespace phone_handoff::render {

std::string dump(const nlohmann::ordered_json& value) { return JsonWriter().value(value).take(); }

size_t FlatMetadata::member_bytes(const std::string& key, const nlohmann::ordered_json& value) {
  return json_string(key).size() + 1 + dump(value).size();
}

size_t FlatMetadata::bytes() const {
  // "{" + members joined by "," + "}"
  const size_t n = object_.size();
  return 2 + members_bytes_ + (n > 0 ? n - 1 : 0);
}

FlatMetadata::Outcome FlatMetadata::add(const std::string& key, const nlohmann::ordered_json& value) {
  const size_t extra = member_bytes(key, value) + (object_.empty() ? 0 : 1);
  if (object_.contains(key) || bytes() + extra > budget_) return Outcome::dropped;
  object_[key] = value;
  members_bytes_ += extra - (object_.size() > 1 ? 1 : 0);
  return Outcome::added;
}

FlatMetadata::Outcome FlatMetadata::add_truncating(const std::string& key, const std::string& value,
                                                   size_t min_bytes) {
  if (add(key, value) == Outcome::added) return Outcome::added;
  if (object_.contains(key)) return Outcome::dropped;
  // Room for the value's JSON text once the key, colon, comma and quotes are paid for.
  const size_t overhead = json_string(key).size() + 1 + (object_.empty() ? 0 : 1) + 2;
  if (bytes() + overhead >= budget_) return Outcome::dropped;
  size_t room_for_text = budget_ - bytes() - overhead;
  // Escapes can make the JSON text longer than the bytes; shrink until it fits.
  while (room_for_text >= min_bytes) {
    const std::string cut = truncate_bytes(value, room_for_text);
    if (add(key, cut) == Outcome::added) return Outcome::truncated;
    room_for_text -= room_for_text / 8 + 1;
  }
  return Outcome::dropped;
}

}  // namespace phone_handoff::render
