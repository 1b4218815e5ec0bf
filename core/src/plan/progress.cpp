#include "plan/progress.hpp"

#include "ops.hpp"

namespace phone_handoff::plan {

using nlohmann::json;

namespace {
// RFC 6901 unescaping of one reference token.
std::string unescape_token(std::string_view token) {
  std::string out;
  for (size_t i = 0; i < token.size(); ++i) {
    if (token[i] == '~' && i + 1 < token.size()) {
      out += token[i + 1] == '1' ? '/' : '~';
      ++i;
    } else {
      out += token[i];
    }
  }
  return out;
}
}  // namespace

Progress::Progress(const json& doc) : doc_(doc) {
  if (!doc.is_null() && !doc.is_object())
    throw UsageError("bad_progress", "progress must be a JSON object (or {} before the first step)");
}

const json* Progress::find(std::string_view pointer) const {
  const json* node = &doc_;
  size_t at = 0;
  while (at < pointer.size()) {
    if (pointer[at] != '/') return nullptr;  // the planner only uses well-formed pointers
    size_t next = pointer.find('/', at + 1);
    if (next == std::string_view::npos) next = pointer.size();
    if (node->is_null()) return nullptr;
    // Progress keeps every container as an object (docs/plan.md), so descending through
    // anything else means the document was not written by the protocol.
    if (!node->is_object()) wrong_type(pointer.substr(0, at), "an object");
    auto it = node->find(unescape_token(pointer.substr(at + 1, next - at - 1)));
    if (it == node->end()) return nullptr;
    node = &*it;
    at = next;
  }
  return node->is_null() ? nullptr : node;
}

void Progress::wrong_type(std::string_view pointer, const char* expected) const {
  throw UsageError("bad_progress", "progress at \"" + std::string(pointer) + "\" must be " +
                                       expected + " (see docs/plan.md)");
}

std::optional<std::string> Progress::text(std::string_view pointer) const {
  const json* v = find(pointer);
  if (!v) return std::nullopt;
  if (!v->is_string()) wrong_type(pointer, "a string");
  return v->get<std::string>();
}

std::optional<bool> Progress::boolean(std::string_view pointer) const {
  const json* v = find(pointer);
  if (!v) return std::nullopt;
  if (!v->is_boolean()) wrong_type(pointer, "a boolean");
  return v->get<bool>();
}

std::optional<int64_t> Progress::integer(std::string_view pointer) const {
  const json* v = find(pointer);
  if (!v) return std::nullopt;
  if (!v->is_number_integer()) wrong_type(pointer, "a whole number");
  return v->get<int64_t>();
}

std::optional<std::string> Progress::id(std::string_view pointer) const {
  const json* v = find(pointer);
  if (!v) return std::nullopt;
  if (v->is_string()) return v->get<std::string>();
  if (v->is_number_integer()) return std::to_string(v->get<int64_t>());
  wrong_type(pointer, "a string or whole-number id");
}

const json* Progress::object(std::string_view pointer) const {
  const json* v = find(pointer);
  if (v && !v->is_object()) wrong_type(pointer, "an object");
  return v;
}

const json* Progress::array(std::string_view pointer) const {
  const json* v = find(pointer);
  if (v && !v->is_array()) wrong_type(pointer, "an array");
  return v;
}

}  // namespace phone_handoff::plan
