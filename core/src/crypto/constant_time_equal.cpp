#include "crypto/constant_time_equal.hpp"

namespace phone_handoff::crypto {

bool constant_time_equal(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  // Accumulate every difference instead of returning at the first one; volatile keeps the
  // optimiser from turning the loop back into an early exit.
  volatile unsigned char difference = 0;
  for (std::size_t i = 0; i < a.size(); ++i)
    difference = difference | (static_cast<unsigned char>(a[i]) ^ static_cast<unsigned char>(b[i]));
  return difference == 0;
}

}  // namespace phone_handoff::crypto
