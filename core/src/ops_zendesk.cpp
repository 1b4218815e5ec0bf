// PLACEHOLDER: replaced by the owner of this area. Reports "not_implemented" until then.
#include "ops.hpp"
namespace phone_handoff::ops {
std::string redact(const Args&) { throw UsageError("not_implemented", "redact is not implemented yet"); }
std::string render(const Args&) { throw UsageError("not_implemented", "render is not implemented yet"); }
}
