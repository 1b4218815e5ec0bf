// PLACEHOLDER: replaced by the owner of this area. Reports "not_implemented" until then.
#include "ops.hpp"
namespace phone_handoff::ops {
std::string parse(const Args&) { throw UsageError("not_implemented", "parse is not implemented yet"); }
std::string diagnose(const Args&) { throw UsageError("not_implemented", "diagnose is not implemented yet"); }
std::string merge(const Args&) { throw UsageError("not_implemented", "merge is not implemented yet"); }
}
