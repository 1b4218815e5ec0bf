// PLACEHOLDER: replaced by the owner of this area. Reports "not_implemented" until then.
#include "ops.hpp"
namespace phone_handoff::ops {
std::string plan(const Args&) { throw UsageError("not_implemented", "plan is not implemented yet"); }
}
