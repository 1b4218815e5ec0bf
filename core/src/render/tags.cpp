#include "render/tags.hpp"

#include <algorithm>

#include "json_model.hpp"

namespace phone_handoff::render {

constexpr size_t kMaxTagLength = 80;

std::string sanitize_tag(std::string_view raw) {
  std::string out;
  for (char c : raw) {
    char lower = (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
    const bool keep = (lower >= 'a' && lower <= 'z') || (lower >= '0' && lower <= '9') || lower == '_' || lower == '-';
    if (!keep) lower = '_';
    if (lower == '_' && !out.empty() && out.back() == '_') continue;
    out += lower;
  }
  // A tag of only "-" and "_" says nothing; Zendesk would show it as noise.
  if (out.find_first_of("abcdefghijklmnopqrstuvwxyz0123456789") == std::string::npos) return "";
  const size_t first = out.find_first_not_of('_');
  out = out.substr(first, kMaxTagLength);
  while (!out.empty() && out.back() == '_') out.pop_back();
  return out;
}

std::vector<std::string> handoff_tags(const Handoff& handoff, const Config& config, Errors& warnings) {
  const std::string p = config.tag_prefix + "_";
  std::vector<std::string> tags = {p + "channel_phone", p + "handedoff",
                                   p + "handoff_" + to_string(handoff.handoff.mode)};
  if (handoff.handoff.follow_up.channel) tags.push_back(p + "followup_" + to_string(*handoff.handoff.follow_up.channel));
  if (handoff.handoff.sentiment) tags.push_back(p + "sentiment_" + to_string(*handoff.handoff.sentiment));
  for (auto& tag : tags) tag = sanitize_tag(tag);   // the prefix is already clean; this caps length
  for (size_t i = 0; i < config.extra_tags.size(); ++i) {
    std::string tag = sanitize_tag(config.extra_tags[i]);
    if (tag.empty()) {
      warnings.push_back({"/tags", "extra tag " + std::to_string(i) + " has no letters or digits Zendesk accepts; left out"});
      continue;
    }
    tags.push_back(std::move(tag));
  }
  std::vector<std::string> unique;
  for (auto& tag : tags)
    if (std::find(unique.begin(), unique.end(), tag) == unique.end()) unique.push_back(std::move(tag));
  return unique;
}

}  // namespace phone_handoff::render
