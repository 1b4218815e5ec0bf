// Comparison whose running time does not depend on where two equal-length strings differ, so a
// caller probing a verifier cannot learn a correct signature byte by byte.
#pragma once

#include <string_view>

namespace phone_handoff::crypto {

// Different lengths return false at once: lengths are public here (digest sizes are fixed by the
// algorithm), only contents are secret.
bool constant_time_equal(std::string_view a, std::string_view b);

}  // namespace phone_handoff::crypto
