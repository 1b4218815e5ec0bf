// One planned HTTP request and what the executor does with each possible answer. The JSON form
// (write_request) is the protocol in docs/plan.md; the field names here mirror it.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "json/writer.hpp"

namespace phone_handoff::plan {

// Progress pointers and their values, written as one JSON object in the order they were first
// set (as an ordered_json object would be). A vector of pairs: a plan holds several of these per
// request, and as ordered_json objects they cost allocations to build and more to destroy.
template <class Value>
struct PointerMap {
  std::vector<std::pair<std::string, Value>> items;

  Value& operator[](const std::string& pointer) {
    for (auto& [key, value] : items)
      if (key == pointer) return value;
    return items.emplace_back(pointer, Value()).second;
  }
};

// What to write into progress after an answer: "set" constants first, then "capture" values
// copied from the response (progress pointer → response pointer; a pointer the response does not
// have writes nothing).
struct Outcome {
  std::string meaning;  // onStatus only: what the status means here
  PointerMap<nlohmann::ordered_json> set{};
  PointerMap<std::string> capture{};

  Outcome& with_set(const std::string& progress_pointer, nlohmann::ordered_json value) {
    set[progress_pointer] = std::move(value);
    return *this;
  }
  Outcome& with_capture(const std::string& progress_pointer, const std::string& response_pointer) {
    capture[progress_pointer] = response_pointer;
    return *this;
  }
};

// How to find out whether a non-idempotent request already took effect (an earlier attempt may
// have reached the server before the answer was lost): a GET, then a search for a matching item.
struct Probe {
  std::string api;
  std::string path;
  std::string items;   // pointer to an array of candidates in the answer, or…
  std::string item;    // …pointer to the one candidate
  std::string follow;  // pointer to the next page's URL ("" = first page only)
  int max_pages = 1;
  // A candidate matches when every pointer → value of at least one entry equals.
  nlohmann::ordered_json match_any = nlohmann::ordered_json::array();
  Outcome found;       // capture pointers are relative to the matching candidate
};

struct Request {
  Request(std::string step_id, std::string reason, std::string api_name, std::string http_method,
          std::string relative_path)
      : id(std::move(step_id)), why(std::move(reason)), api(std::move(api_name)),
        method(std::move(http_method)), path(std::move(relative_path)) {}

  std::string id;      // stable step id, e.g. "post-message-3"
  std::string why;     // one line, for people reading a printed plan
  std::string api;     // "sunshine" | "support"
  std::string method;
  std::string path;    // relative to https://{subdomain}.zendesk.com
  nlohmann::ordered_json body;  // null when there is none…
  // …or a body render made, sent unchanged: pointed at rather than copied (a transcript part is
  // up to 4096 characters, and the plan lists every part).
  const nlohmann::ordered_json* rendered_body = nullptr;
  bool idempotent = true;
  std::vector<int> expect;
  Outcome success;
  std::vector<std::pair<int, Outcome>> on_status;
  std::optional<Probe> probe;
  bool probe_first = false;
  int64_t delay_ms = 0;

  Request& on(int status, Outcome outcome) {
    on_status.emplace_back(status, std::move(outcome));
    return *this;
  }
};

void write_request(JsonWriter& out, const Request& request);

}  // namespace phone_handoff::plan
