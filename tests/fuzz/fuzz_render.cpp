// render(handoff[, config]): the input is a handoff, optionally followed by a NUL byte and a
// configuration, so the fuzzer explores both.
#include "fuzz_support.hpp"

using namespace phone_handoff::fuzz;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  const std::size_t nul = bytes.find('\0');
  if (nul == std::string_view::npos) {
    checked_call("render", {bytes});
    checked_call("render", {bytes, R"({"transcriptStyle":"per-turn"})"});
  } else {
    checked_call("render", {bytes.substr(0, nul), bytes.substr(nul + 1)});
  }
  return 0;
}
