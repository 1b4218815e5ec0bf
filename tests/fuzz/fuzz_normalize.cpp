// The phone-number normalizer on its own (parse reaches it only through adapter fields): the
// first byte picks a default country code, the rest is the raw number. An E.164 result must
// look like one: '+' then 2 to 15 digits.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "fuzz_support.hpp"
#include "normalize.hpp"

using namespace phone_handoff;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const std::string_view country_codes[] = {"", "1", "44", "49", "353", "7"};
  if (size == 0) return 0;
  const std::string_view country = country_codes[data[0] % 6];
  const std::string_view raw(reinterpret_cast<const char*>(data) + 1, size - 1);
  const PhoneNumber number = normalize_phone(raw, country);
  if (number.kind == PhoneNumber::Kind::e164) {
    const std::string& v = number.value;
    bool ok = v.size() >= 3 && v.size() <= 16 && v[0] == '+';
    for (std::size_t i = 1; ok && i < v.size(); ++i) ok = v[i] >= '0' && v[i] <= '9';
    if (!ok) fuzz::fail("normalize_phone", "E.164 result is not '+' and 2-15 digits", v);
  }
  return 0;
}
