// plan(handoff[, config[, progress]]): the input's parts are separated by NUL bytes, so the
// fuzzer reaches later progress states too.
#include "fuzz_support.hpp"

using namespace phone_handoff::fuzz;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view rest(reinterpret_cast<const char*>(data), size);
  std::vector<std::string_view> args;
  while (args.size() < 2) {
    const std::size_t nul = rest.find('\0');
    if (nul == std::string_view::npos) break;
    args.push_back(rest.substr(0, nul));
    rest.remove_prefix(nul + 1);
  }
  args.push_back(rest);
  checked_call("plan", args);
  return 0;
}
