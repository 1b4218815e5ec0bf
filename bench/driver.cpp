// A small native driver for instruction counts: runs the core pipeline (parse → redact → render →
// plan, the same four calls as bench/core-pipeline.mjs makes through the package) and then the
// one-call pipeline (deliver: body in, plan out) on one payload, `iterations` times, through the
// public phone_handoff::call(). bench/callgrind.mjs builds it against a built
// libphone_handoff_core.a and runs it under `valgrind --tool=callgrind`. A core without deliver
// (an older build, to compare with) runs the four calls only.
//   driver <source> <payload file> [iterations]
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>

#include <nlohmann/json.hpp>

#include "phone_handoff/api.hpp"

namespace {

std::string read_file(const char* path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    std::cerr << "driver: cannot read " << path << "\n";
    std::exit(2);
  }
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// A result that is an error would make the counts meaningless: stop loudly instead.
std::string checked(const char* operation, std::string result) {
  if (result.rfind("{\"error", 0) == 0) {
    std::cerr << "driver: " << operation << " failed: " << result.substr(0, 300) << "\n";
    std::exit(1);
  }
  return result;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::cerr << "usage: driver <source> <payload file> [iterations]\n";
    return 2;
  }
  const std::string source = argv[1];
  const std::string body = read_file(argv[2]);
  const int iterations = argc > 3 ? std::atoi(argv[3]) : 1;
  bool has_deliver = false;
  for (const auto& op : phone_handoff::operations()) has_deliver = has_deliver || std::string(op.name) == "deliver";
  std::size_t output_bytes = 0;
  for (int i = 0; i < iterations; ++i) {
    const std::string parsed = checked("parse", phone_handoff::call("parse", {source, body}));
    const std::string redacted = checked("redact", phone_handoff::call("redact", {parsed}));
    output_bytes += checked("render", phone_handoff::call("render", {redacted})).size();
    // plan() takes the bare handoff, not redact's {"handoff", "redactions"}.
    const std::string handoff = nlohmann::json::parse(redacted)["handoff"].dump();
    output_bytes += checked("plan", phone_handoff::call("plan", {handoff})).size();
    if (has_deliver) output_bytes += checked("deliver", phone_handoff::call("deliver", {source, body})).size();
  }
  std::printf("%d iteration(s), %zu output bytes per iteration\n", iterations,
              output_bytes / static_cast<std::size_t>(iterations > 0 ? iterations : 1));
  return 0;
}
