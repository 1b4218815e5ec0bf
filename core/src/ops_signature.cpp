// PLACEHOLDER: replaced by the owner of this area. Reports "not_implemented" until then.
#include "ops.hpp"
namespace phone_handoff::ops {
std::string verify(const Args&) { throw UsageError("not_implemented", "verify is not implemented yet"); }
std::string sign(const Args&) { throw UsageError("not_implemented", "sign is not implemented yet"); }
}
