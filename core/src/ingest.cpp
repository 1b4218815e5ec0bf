#include "ingest.hpp"

#include <algorithm>
#include <cstdint>

#include "adapters/adapters.hpp"
#include "json_model.hpp"
#include "ops.hpp"

namespace phone_handoff {
namespace {

using nlohmann::json;

constexpr int kMaxDepthCeiling = 1000;  // keeps every recursive walk of a document shallow
// The same ceiling on every backend (size_t is 32 bits in wasm), so answers stay identical.
constexpr int64_t kMaxBytesCeiling = int64_t(1) << 30;

struct SourceAdapter {
  const char* name;
  adapters::Adapter adapter;
};

const SourceAdapter kAdapters[] = {
    {"canonical", adapters::canonical}, {"vapi", adapters::vapi},
    {"retell", adapters::retell},       {"elevenlabs", adapters::elevenlabs},
    {"bland", adapters::bland},
};

const char* const kSourceNames[] = {"canonical", "vapi", "retell", "elevenlabs", "bland", nullptr};

// One linear pass: rejects invalid UTF-8 and nesting deeper than the limit before any DOM is
// built. Brackets inside strings do not count.
bool prescan(std::string_view text, const ParseOptions& options, const char* what, Errors& errors) {
  const json_reader::TextProblem problem = json_reader::scan_text(text, options.max_depth);
  if (problem.kind == json_reader::TextProblem::Kind::invalid_utf8) {
    errors.push_back({"", std::string(what) + " is not valid UTF-8 at byte " + std::to_string(problem.offset)});
    return false;
  }
  if (problem.kind == json_reader::TextProblem::Kind::too_deep) {
    errors.push_back({"", std::string(what) + " nests objects and arrays deeper than the limit of " +
                              std::to_string(options.max_depth) + " levels (at byte " +
                              std::to_string(problem.offset) + "; the maxDepth option sets the limit)"});
    return false;
  }
  return true;
}

// nlohmann's message is "[json.exception.parse_error.101] parse error at line 1, column 5:
// syntax error while parsing value - <detail>; last read: '<bytes>'"; the detail is the useful
// part. The bytes last read can end inside a UTF-8 sequence, so they are never echoed.
std::string parse_error_detail(const std::string& what) {
  std::string detail = what;
  const size_t dash = detail.find(" - ");
  if (dash != std::string::npos) detail = detail.substr(dash + 3);
  const size_t last_read = detail.find("; last read:");
  if (last_read != std::string::npos) detail.erase(last_read);
  return detail;
}

template <class Number>
Number option_number(const json& options, const char* key, Number fallback, int64_t lowest, int64_t highest) {
  auto it = options.find(key);
  if (it == options.end() || it->is_null()) return fallback;
  const bool whole = it->is_number_integer() || it->is_number_unsigned();
  if (!whole || (it->is_number_integer() && it->template get<int64_t>() < lowest) ||
      it->template get<uint64_t>() > static_cast<uint64_t>(highest))
    throw UsageError("bad_options", std::string("option ") + key + " must be a whole number from " +
                                        std::to_string(lowest) + " to " + std::to_string(highest) +
                                        ", not " + it->dump());
  return static_cast<Number>(it->template get<int64_t>());
}

// A document with thousands of bad entries gets a readable list, not thousands of entries
// (the adapters cap their own lists the same way, with the same note).
constexpr size_t kMaxListed = 100;

void cap(Errors& list, const char* kind) {
  if (list.size() <= kMaxListed) return;
  list.resize(kMaxListed);
  list.push_back({"", std::string("more ") + kind + " than these: only the first 100 are listed"});
}

template <class T>
T pick(const T& existing, const T& incoming, bool incoming_present) {
  return incoming_present ? incoming : existing;
}
std::string pick(const std::string& existing, const std::string& incoming) {
  return pick(existing, incoming, !incoming.empty());
}
template <class T>
std::optional<T> pick(const std::optional<T>& existing, const std::optional<T>& incoming) {
  return pick(existing, incoming, incoming.has_value());
}

}  // namespace

const char* const* known_sources() { return kSourceNames; }

bool is_known_source(std::string_view source) {
  return std::any_of(std::begin(kAdapters), std::end(kAdapters),
                     [&](const SourceAdapter& a) { return source == a.name; });
}

ParseOptions parse_options_from_json(std::string_view text) {
  ParseOptions options;
  if (text.find_first_not_of(" \t\r\n") == std::string_view::npos) return options;
  json doc;
  Errors errors;
  if (!decode_json(text, ParseOptions{}, "options", doc, errors))
    throw UsageError("bad_options", errors.front().message);
  if (!doc.is_object()) throw UsageError("bad_options", "options must be a JSON object, not " + doc.dump());
  for (const auto& [key, value] : doc.items()) {
    if (key != "maxBytes" && key != "maxDepth" && key != "defaultCountryCode")
      throw UsageError("bad_options", "unknown option \"" + key +
                                          "\" (known: maxBytes, maxDepth, defaultCountryCode)");
  }
  options.max_bytes = option_number<size_t>(doc, "maxBytes", options.max_bytes, 1, kMaxBytesCeiling);
  options.max_depth = option_number<int>(doc, "maxDepth", options.max_depth, 1, kMaxDepthCeiling);
  auto code = doc.find("defaultCountryCode");
  if (code != doc.end() && !code->is_null()) {
    std::string digits = code->is_string() ? code->get<std::string>() : std::string("?");
    if (!digits.empty() && digits[0] == '+') digits.erase(0, 1);
    const bool ok = digits.size() >= 1 && digits.size() <= 3 && digits[0] != '0' &&
                    digits.find_first_not_of("0123456789") == std::string::npos;
    if (!ok && !(code->is_string() && code->get<std::string>().empty()))
      throw UsageError("bad_options", "option defaultCountryCode must be a country calling code of "
                                      "1 to 3 digits, like \"1\" or \"44\", not " + code->dump());
    options.default_country_code = digits;
  }
  return options;
}

bool decode_json(std::string_view text, const ParseOptions& options, const char* what, json& out,
                 Errors& errors) {
  if (text.size() > options.max_bytes) {
    errors.push_back({"", std::string(what) + " is " + std::to_string(text.size()) +
                              " bytes, over the limit of " + std::to_string(options.max_bytes) +
                              " bytes (the maxBytes option sets the limit)"});
    return false;
  }
  if (text.find_first_not_of(" \t\r\n") == std::string_view::npos) {
    errors.push_back({"", std::string(what) + " is empty; expected a JSON document"});
    return false;
  }
  if (!prescan(text, options, what, errors)) return false;
  try {
    out = json::parse(text.begin(), text.end());
  } catch (const json::parse_error& e) {
    // e.byte counts the bytes read, including the offending one.
    const size_t offset = e.byte > 0 ? e.byte - 1 : 0;
    errors.push_back({"", std::string(what) + " is not valid JSON at byte " + std::to_string(offset) +
                              ": " + parse_error_detail(e.what())});
    return false;
  } catch (const json::out_of_range&) {  // a number literal beyond double's range, e.g. 1e999
    errors.push_back({"", std::string(what) + " has a number too large to represent"});
    return false;
  }
  return true;
}

bool decode_document(std::string_view text, const ParseOptions& options, const char* what,
                     json_reader::Document& out, Errors& errors) {
  if (text.size() <= options.max_bytes && out.parse(text, options.max_depth)) return true;
  // Rejected: the nlohmann path says why, in the words it always has.
  json ignored;
  if (!decode_json(text, options, what, ignored, errors)) return false;
  // Unreachable while the two agree (tests/core/json_reader_test.cpp, fuzz_json_reader); should
  // they ever not, the text is refused rather than read differently.
  errors.push_back({"", std::string(what) + " could not be read as JSON"});
  return false;
}

bool read_handoff_text(std::string_view text, const char* what, Handoff& out, Errors& errors) {
  json_reader::Document doc;
  return decode_document(text, ParseOptions{}, what, doc, errors) && handoff_from_json(doc.root(), out, errors);
}

ParseResult parse_handoff(std::string_view source, std::string_view body, const ParseOptions& options) {
  const SourceAdapter* found = nullptr;
  for (const auto& a : kAdapters)
    if (source == a.name) found = &a;
  if (!found) {
    std::string known;
    for (const auto& a : kAdapters) known += (known.empty() ? "" : ", ") + std::string(a.name);
    throw UsageError("unknown_source", "unknown source \"" + std::string(source) + "\" (known: " + known + ")");
  }

  ParseResult result;
  json_reader::Document doc;
  if (!decode_document(body, options, "body", doc, result.errors)) return result;
  const bool adapted = found->adapter(doc.root(), result.handoff, result.errors);
  if (!adapted || !result.errors.empty()) {
    if (result.errors.empty())  // an adapter must say why; never fail silently
      result.errors.push_back({"", "the " + std::string(source) + " payload could not be read as a handoff"});
    cap(result.errors, "problems");
    return result;
  }
  result.adapted = true;
  if (result.handoff.source.empty()) result.handoff.source = std::string(source);
  normalize(result.handoff, options, result.errors, result.warnings, &result.report);
  result.ok = result.errors.empty();
  cap(result.errors, "problems");
  cap(result.warnings, "warnings");
  return result;
}

Handoff merge_handoffs(const Handoff& existing, const Handoff& incoming) {
  if (existing.source != incoming.source || existing.call_id != incoming.call_id)
    throw UsageError("not_same_call", "merge needs two events of the same call, but got (" +
                                          existing.source + ", " + existing.call_id + ") and (" +
                                          incoming.source + ", " + incoming.call_id + ")");
  Handoff m;
  m.source = existing.source;
  m.call_id = existing.call_id;
  m.source_event = pick(existing.source_event, incoming.source_event);
  m.event_id = pick(existing.event_id, incoming.event_id);
  m.session_id = pick(existing.session_id, incoming.session_id);
  m.org_id = pick(existing.org_id, incoming.org_id);
  m.contact_id = pick(existing.contact_id, incoming.contact_id);
  m.agent.id = pick(existing.agent.id, incoming.agent.id);
  m.agent.name = pick(existing.agent.name, incoming.agent.name);

  const CallInfo &ec = existing.call, &ic = incoming.call;
  m.call.direction = pick(ec.direction, ic.direction);
  m.call.from = pick(ec.from, ic.from);
  m.call.to = pick(ec.to, ic.to);
  m.call.started_at_unix_ms = pick(ec.started_at_unix_ms, ic.started_at_unix_ms);
  m.call.ended_at_unix_ms = pick(ec.ended_at_unix_ms, ic.ended_at_unix_ms);
  m.call.language = pick(ec.language, ic.language);
  m.call.recording_url = pick(ec.recording_url, ic.recording_url);
  m.call.session_url = pick(ec.session_url, ic.session_url);

  m.caller.phone = pick(existing.caller.phone, incoming.caller.phone);
  m.caller.name = pick(existing.caller.name, incoming.caller.name);
  m.caller.email = pick(existing.caller.email, incoming.caller.email);

  const HandoffDetails &ed = existing.handoff, &id = incoming.handoff;
  m.handoff.mode = ed.mode == Mode::live_transfer || id.mode == Mode::live_transfer
                       ? Mode::live_transfer : Mode::logged_escalation;
  m.handoff.requested_at_unix_ms = pick(ed.requested_at_unix_ms, id.requested_at_unix_ms);
  m.handoff.transfer_destination = pick(ed.transfer_destination, id.transfer_destination);
  m.handoff.follow_up.channel = pick(ed.follow_up.channel, id.follow_up.channel);
  m.handoff.follow_up.address = pick(ed.follow_up.address, id.follow_up.address);
  m.handoff.reason.category = pick(ed.reason.category, id.reason.category);
  m.handoff.reason.caller_asked = pick(ed.reason.caller_asked, id.reason.caller_asked);
  m.handoff.reason.ai_unresolved = pick(ed.reason.ai_unresolved, id.reason.ai_unresolved);
  m.handoff.summary = pick(ed.summary, id.summary);
  m.handoff.sentiment = pick(ed.sentiment, id.sentiment);

  m.transcript = pick(existing.transcript, incoming.transcript,
                      incoming.transcript.size() >= existing.transcript.size());
  m.tool_calls = pick(existing.tool_calls, incoming.tool_calls,
                      incoming.tool_calls.size() >= existing.tool_calls.size());
  m.custom_fields = existing.custom_fields;
  for (const auto& [key, value] : incoming.custom_fields) m.custom_fields[key] = value;
  return m;
}

}  // namespace phone_handoff
