#include "plan/identity.hpp"

#include "plan/encoding.hpp"
#include "render/summary.hpp"

namespace phone_handoff::plan {

using render::caller_phone;
using nlohmann::ordered_json;

namespace {
bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

std::string trim(const std::string& s) {
  size_t begin = 0, end = s.size();
  while (begin < end && is_space(s[begin])) ++begin;
  while (end > begin && is_space(s[end - 1])) --end;
  return s.substr(begin, end - begin);
}

// Loose check only: the spec's "email" format; anything else is better left out than rejected
// with a 400 that would block the whole handoff.
bool plausible_email(const std::string& email) {
  const size_t at = email.find('@');
  if (at == std::string::npos || at == 0 || at + 1 >= email.size()) return false;
  if (email.find('@', at + 1) != std::string::npos) return false;
  for (char c : email)
    if (is_space(c)) return false;
  return email.find('.', at) != std::string::npos && email.size() <= 128;
}
}  // namespace

std::string support_phone_query(const std::string& e164) {
  std::string digits;
  for (char c : e164)
    if (c >= '0' && c <= '9') digits += c;
  if (digits.size() == 11 && digits[0] == '1') digits.erase(0, 1);
  return "type:user role:end-user phone:*" + digits;
}

std::string unmatched_external_id(const Handoff& handoff, const std::string& prefix) {
  const std::string phone = caller_phone(handoff);
  if (!phone.empty()) return prefix + phone;
  return "call:" + (handoff.call_id.empty() ? handoff.session_id : handoff.call_id);
}

ordered_json user_create_body(const Handoff& handoff, const std::string& external_id) {
  ordered_json body;
  body["externalId"] = external_id;
  ordered_json profile = ordered_json::object();
  const std::string name = trim(handoff.caller.name);
  if (!name.empty()) {
    // First word → givenName, the rest → surname: Sunshine has no single "name" field, and
    // Agent Workspace shows "givenName surname", which gives back the name as spoken.
    size_t space = 0;
    while (space < name.size() && !is_space(name[space])) ++space;
    profile["givenName"] = truncate_code_points(name.substr(0, space), 128);
    const std::string rest = trim(name.substr(space));
    if (!rest.empty()) profile["surname"] = truncate_code_points(rest, 128);
  }
  if (plausible_email(handoff.caller.email)) profile["email"] = handoff.caller.email;
  if (!handoff.call.language.empty() && handoff.call.language.size() <= 64)
    profile["locale"] = handoff.call.language;
  if (!profile.empty()) body["profile"] = profile;
  // Identities are read-only in the API: metadata is the only place the phone can live (§2.1).
  const std::string phone = caller_phone(handoff);
  if (!phone.empty()) body["metadata"] = {{"phone", phone}};
  return body;
}

}  // namespace phone_handoff::plan
