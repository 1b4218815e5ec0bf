// PLACEHOLDER: replaced by the owner of this area. Reports "not_implemented" until then.
#include "ops.hpp"
namespace phone_handoff::ops {
std::string conversation(const Args&) { throw UsageError("not_implemented", "conversation is not implemented yet"); }
}
