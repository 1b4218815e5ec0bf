// Who the caller is to Sunshine and to Zendesk Support: the phone used for the Support search, the
// messaging user's externalId and the profile written when the user is created.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "phone_handoff/model.hpp"

namespace phone_handoff::plan {

// The Support search query for a phone: "type:user role:end-user phone:*<digits>". The leading
// "*" matches the number stored in other formats; for North American numbers the country code 1
// is dropped so "(513) 555-7611" matches too (sunshine-and-zendesk-api.md §5).
std::string support_phone_query(const std::string& e164);

// The externalId for a messaging user that no Support user was matched to: prefix + phone, or
// "call:" + call id when there is no phone (one user per call then, never a shared one).
std::string unmatched_external_id(const Handoff& handoff, const std::string& prefix);

// POST /users body: externalId, profile (givenName/surname split from the caller's name, email,
// locale) and metadata {phone}. Values that the spec would reject are left out, never sent.
nlohmann::ordered_json user_create_body(const Handoff& handoff, const std::string& external_id);

}  // namespace phone_handoff::plan
