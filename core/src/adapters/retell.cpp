// PLACEHOLDER: replaced by the owner of the adapters.
#include "adapters/adapters.hpp"
namespace phone_handoff::adapters {
bool retell(const nlohmann::json&, Handoff&, Errors& errors) { errors.push_back({"", "the retell adapter is not implemented yet"}); return false; }
}
