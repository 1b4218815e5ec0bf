// PLACEHOLDER: replaced by the owner of the adapters.
#include "adapters/adapters.hpp"
namespace phone_handoff::adapters {
bool elevenlabs(const nlohmann::json&, Handoff&, Errors& errors) { errors.push_back({"", "the elevenlabs adapter is not implemented yet"}); return false; }
}
