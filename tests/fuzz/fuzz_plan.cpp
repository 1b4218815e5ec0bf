// plan(handoff[, config[, progress]]): the input's parts are separated by NUL bytes, so the
// fuzzer reaches later progress states too.
#include "fuzz_support.hpp"

using namespace phone_handoff::fuzz;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  checked_call("plan", split_nul(std::string_view(reinterpret_cast<const char*>(data), size), 3));
  return 0;
}
