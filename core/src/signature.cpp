#include "signature.hpp"

#include <cctype>

#include "crypto/base64.hpp"
#include "crypto/constant_time_equal.hpp"
#include "crypto/hex.hpp"
#include "crypto/sha256.hpp"
#include "digits.hpp"
#include "ops.hpp"

namespace phone_handoff::signature {
namespace {

using crypto::HashAlgorithm;
using Headers = std::vector<std::pair<std::string, std::string>>;

constexpr int64_t kMinuteMs = 60 * 1000;

// ---- text ------------------------------------------------------------------------------------

std::string lowercase(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = char(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// HTTP allows optional spaces and tabs around a header value.
std::string_view trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

bool starts_with(std::string_view text, std::string_view prefix) {
  return text.substr(0, prefix.size()) == prefix;
}

// "k1=v1,k2=v2", the shape of Retell's and ElevenLabs' signature headers. nullopt when an item has
// no key or a key repeats (a repeated key would make "which one is signed" ambiguous).
std::optional<std::map<std::string_view, std::string_view>> parse_items(std::string_view value) {
  std::map<std::string_view, std::string_view> items;
  for (;;) {
    const std::size_t comma = value.find(',');
    const std::string_view item = trim(value.substr(0, comma));
    const std::size_t equals = item.find('=');
    if (equals == std::string_view::npos || equals == 0) return std::nullopt;
    if (!items.emplace(item.substr(0, equals), item.substr(equals + 1)).second) return std::nullopt;
    if (comma == std::string_view::npos) return items;
    value.remove_prefix(comma + 1);
  }
}

std::string seconds_text(int64_t ms) { return std::to_string(ms / 1000); }

// ---- verdicts --------------------------------------------------------------------------------

Verdict pass(std::size_t secret_index) {
  Verdict verdict;
  verdict.ok = true;
  verdict.secret_index = secret_index;
  return verdict;
}

Verdict fail(std::string reason, std::string message) {
  Verdict verdict;
  verdict.reason = std::move(reason);
  verdict.message = std::move(message);
  return verdict;
}

// Replay protection: a timestamp more than past_ms old or future_ms ahead is refused.
std::optional<Verdict> outside_window(const std::string& scheme, int64_t timestamp_ms,
                                      int64_t now_ms, int64_t past_ms, int64_t future_ms) {
  const int64_t age_ms = now_ms - timestamp_ms;
  if (age_ms > past_ms)
    return fail("timestamp_outside_window",
                "the " + scheme + " signature was made " + seconds_text(age_ms) +
                    " s ago; at most " + seconds_text(past_ms) +
                    " s is accepted (a replayed request, a late retry, or a wrong clock)");
  if (-age_ms > future_ms)
    return fail("timestamp_outside_window",
                "the " + scheme + " signature is dated " + seconds_text(-age_ms) +
                    " s in the future; at most " + seconds_text(future_ms) +
                    " s of clock skew is accepted");
  return std::nullopt;
}

// The signature is checked before the timestamp, so a wrong secret is reported as such even on an
// old test request; a stale request is refused only once it is known to be authentic.
Verdict conclude(const std::string& scheme, std::optional<std::size_t> matched_secret,
                 std::size_t secret_count, std::optional<Verdict> window_problem) {
  if (!matched_secret)
    return fail("signature_mismatch", "the " + scheme +
                                          " signature does not match this body with any of the " +
                                          std::to_string(secret_count) + " configured secret(s)");
  if (window_problem) return *window_problem;
  return pass(*matched_secret);
}

// ---- secrets and MACs ------------------------------------------------------------------------

std::optional<std::string> decode(std::string_view text, Encoding encoding) {
  return encoding == Encoding::hex ? crypto::hex_decode(text) : crypto::base64_decode(text);
}

// A received MAC in `encoding`, accepted only when it has the digest's exact length.
std::optional<std::string> decode_mac(std::string_view text, Encoding encoding, std::size_t size) {
  auto bytes = decode(text, encoding);
  if (!bytes || bytes->size() != size) return std::nullopt;
  return bytes;
}

// The HMAC key each configured secret stands for, in the same order.
std::vector<std::string> hmac_keys(Source source, const Auth& auth) {
  std::vector<std::string> keys;
  for (std::size_t i = 0; i < auth.secrets.size(); ++i) {
    std::string_view secret = auth.secrets[i];
    const std::string where = "auth.secrets[" + std::to_string(i) + "]";
    if (source == Source::canonical) {
      // Standard Webhooks: "whsec_" + base64 of the key. The reference libraries also accept the
      // bare base64, so this does too.
      if (starts_with(secret, "whsec_")) secret.remove_prefix(6);
      auto key = crypto::base64_decode(secret);
      if (!key || key->empty())
        throw UsageError("bad_auth", where + " is not a Standard Webhooks secret (expected "
                                             "whsec_ followed by base64)");
      keys.push_back(std::move(*key));
    } else if (source == Source::vapi && auth.vapi.secret_is_base64) {
      auto key = crypto::base64_decode(secret);
      if (!key || key->empty())
        throw UsageError("bad_auth", where + " is not base64, but auth.auth.secretIsBase64 is true");
      keys.push_back(std::move(*key));
    } else {
      keys.emplace_back(secret);  // Retell, ElevenLabs, Bland: the secret's bytes are the key
    }
  }
  return keys;
}

// Index of the first key whose MAC of `message` equals one of `candidates`.
std::optional<std::size_t> matching_secret(const std::vector<std::string>& keys,
                                           HashAlgorithm algorithm,
                                           const std::vector<std::string_view>& message,
                                           const std::vector<std::string>& candidates) {
  for (std::size_t i = 0; i < keys.size(); ++i) {
    const std::string expected = crypto::hmac(algorithm, keys[i], message);
    bool matched = false;
    for (const std::string& candidate : candidates)
      matched = crypto::constant_time_equal(expected, candidate) || matched;
    if (matched) return i;
  }
  return std::nullopt;
}

// Standard Webhooks needs a message id; sign derives one from the body so that the same body
// always gets the same id (reproducible output, and a resend is recognisably the same event).
std::string derived_message_id(std::string_view body) {
  return "msg_" + crypto::hex_encode(crypto::Sha256::digest(body)).substr(0, 32);
}

const std::string* find_header(const Request& request, const std::string& lowercase_name) {
  auto it = request.headers.find(lowercase_name);
  return it == request.headers.end() ? nullptr : &it->second;
}

int64_t require_now(std::optional<int64_t> now_ms, Source source, bool signing) {
  const std::string name = source_name(source);
  if (now_ms && *now_ms < 0)
    throw UsageError(signing ? "bad_arguments" : "bad_request",
                     "now must be Unix milliseconds (a whole number, not negative)");
  if (now_ms) return *now_ms;
  if (signing)
    throw UsageError("bad_arguments",
                     "sign needs now (Unix milliseconds) as its 4th argument: " + name +
                         " signatures carry a timestamp");
  throw UsageError("bad_request", "request.now (Unix milliseconds) is required: " + name +
                                      " signatures carry a timestamp to check");
}

// ---- Vapi's payloadFormat template ---------------------------------------------------------------

enum class Field { literal, body, timestamp, method, url, message_id };

struct Segment {
  Field field;
  std::string_view literal;  // for Field::literal
};

std::vector<Segment> parse_payload_format(std::string_view format) {
  static const std::pair<std::string_view, Field> kPlaceholders[] = {
      {"{body}", Field::body},     {"{timestamp}", Field::timestamp}, {"{method}", Field::method},
      {"{url}", Field::url},       {"{svix-id}", Field::message_id}};
  std::vector<Segment> segments;
  bool has_body = false;
  while (!format.empty()) {
    const std::size_t brace = format.find('{');
    if (brace != 0) {
      segments.push_back({Field::literal, format.substr(0, brace)});
      if (brace == std::string_view::npos) break;
      format.remove_prefix(brace);
    }
    bool known = false;
    for (const auto& [placeholder, field] : kPlaceholders) {
      if (!starts_with(format, placeholder)) continue;
      segments.push_back({field, {}});
      has_body = has_body || field == Field::body;
      format.remove_prefix(placeholder.size());
      known = true;
      break;
    }
    if (!known) {
      const std::size_t close = format.find('}');
      const std::string_view placeholder =
          close == std::string_view::npos ? format : format.substr(0, close + 1);
      throw UsageError("bad_auth", "auth.auth.payloadFormat has an unknown placeholder " +
                                       std::string(placeholder.substr(0, 40)) +
                                       " (known: {body}, {timestamp}, {method}, {url}, {svix-id})");
    }
  }
  if (!has_body)
    throw UsageError("bad_auth",
                     "auth.auth.payloadFormat must contain {body}: otherwise the body would not "
                     "be authenticated");
  return segments;
}

bool uses(const std::vector<Segment>& segments, Field field) {
  for (const Segment& s : segments)
    if (s.field == field) return true;
  return false;
}

// The values a template's placeholders stand for in one request.
struct FieldValues {
  std::string_view body, timestamp, method, url, message_id;
};

std::vector<std::string_view> render(const std::vector<Segment>& segments,
                                     const FieldValues& values) {
  std::vector<std::string_view> parts;
  for (const Segment& s : segments) {
    switch (s.field) {
      case Field::literal: parts.push_back(s.literal); break;
      case Field::body: parts.push_back(values.body); break;
      case Field::timestamp: parts.push_back(values.timestamp); break;
      case Field::method: parts.push_back(values.method); break;
      case Field::url: parts.push_back(values.url); break;
      case Field::message_id: parts.push_back(values.message_id); break;
    }
  }
  return parts;
}

const char* algorithm_name(HashAlgorithm algorithm) {
  switch (algorithm) {
    case HashAlgorithm::sha1: return "sha1";
    case HashAlgorithm::sha256: return "sha256";
    case HashAlgorithm::sha512: return "sha512";
  }
  return "";
}

std::string vapi_credential_header(const VapiAuth& vapi) {
  if (!vapi.header.empty()) return vapi.header;
  return vapi.type == VapiAuthType::bearer ? "Authorization" : "X-Vapi-Secret";
}

// ---- verification, one function per scheme ----------------------------------------------------

// Retell's and ElevenLabs' headers share a shape: "<timestamp key>=<digits>,<digest key>=<hex>".
struct ItemHeader {
  const char* name;           // as the platform spells it, for messages
  const char* timestamp_key;  // "v" / "t"
  const char* digest_key;     // "d" / "v0"
  const char* unit;           // "milliseconds" / "seconds"
  std::size_t max_digits;
};

struct SignedItems {
  std::string_view timestamp_text;  // the digits as sent: they are what was signed
  int64_t timestamp = 0;
  std::string mac;
};

// Reads `spec` from the request into `out`; on failure returns the refusal instead.
std::optional<Verdict> read_item_header(const Request& request, const ItemHeader& spec,
                                        SignedItems& out) {
  const std::string name = spec.name;
  const std::string* header = find_header(request, lowercase(name));
  if (!header) return fail("missing_signature", "the " + name + " header is missing");
  const auto items = parse_items(trim(*header));
  const std::string shape = name + " is not of the form " + spec.timestamp_key + "=<Unix " +
                            spec.unit + ">," + spec.digest_key + "=<64 hex digits>";
  if (!items) return fail("malformed_signature", shape);
  const auto timestamp = items->find(spec.timestamp_key), digest = items->find(spec.digest_key);
  if (timestamp == items->end())
    return fail("missing_timestamp", name + " has no " + spec.timestamp_key + "= timestamp");
  const auto number = parse_digits(timestamp->second, spec.max_digits);
  if (!number)
    return fail("malformed_timestamp", "the " + std::string(spec.timestamp_key) + "= timestamp of " +
                                           name + " is not a whole number of " + spec.unit);
  auto mac = digest == items->end() ? std::nullopt : decode_mac(digest->second, Encoding::hex, 32);
  if (!mac) return fail("malformed_signature", shape);
  out.timestamp_text = timestamp->second;
  out.timestamp = *number;
  out.mac = std::move(*mac);
  return std::nullopt;
}

Verdict verify_retell(const Request& request, std::string_view body, const Auth& auth) {
  const int64_t now_ms = require_now(request.now_ms, Source::retell, false);
  const auto keys = hmac_keys(Source::retell, auth);
  SignedItems sent;
  if (auto refusal = read_item_header(request, {"x-retell-signature", "v", "d", "milliseconds", 16}, sent))
    return *refusal;
  // Retell signs the body followed directly by the timestamp's digits, with no separator.
  const auto matched =
      matching_secret(keys, HashAlgorithm::sha256, {body, sent.timestamp_text}, {sent.mac});
  return conclude("retell", matched, keys.size(),
                  outside_window("retell", sent.timestamp, now_ms, 5 * kMinuteMs, 5 * kMinuteMs));
}

Verdict verify_elevenlabs(const Request& request, std::string_view body, const Auth& auth) {
  const int64_t now_ms = require_now(request.now_ms, Source::elevenlabs, false);
  const auto keys = hmac_keys(Source::elevenlabs, auth);
  SignedItems sent;
  if (auto refusal =
          read_item_header(request, {"ElevenLabs-Signature", "t", "v0", "seconds", 12}, sent))
    return *refusal;
  const auto matched = matching_secret(keys, HashAlgorithm::sha256,
                                       {sent.timestamp_text, ".", body}, {sent.mac});
  // ElevenLabs' SDKs accept 30 minutes of age and any future time; a future beyond ordinary clock
  // skew is refused here, since a request cannot have been signed later than it arrived.
  return conclude("elevenlabs", matched, keys.size(),
                  outside_window("elevenlabs", sent.timestamp * 1000, now_ms, 30 * kMinuteMs,
                                 5 * kMinuteMs));
}

Verdict verify_bland(const Request& request, std::string_view body, const Auth& auth) {
  const auto keys = hmac_keys(Source::bland, auth);
  const std::string* header = find_header(request, "x-webhook-signature");
  if (!header) return fail("missing_signature", "the X-Webhook-Signature header is missing");
  const auto mac = decode_mac(trim(*header), Encoding::hex, 32);
  if (!mac) return fail("malformed_signature", "X-Webhook-Signature is not 64 hex digits");
  // No timestamp in Bland's scheme: replay protection has to come from de-duplication.
  return conclude("bland", matching_secret(keys, HashAlgorithm::sha256, {body}, {*mac}),
                  keys.size(), std::nullopt);
}

Verdict verify_canonical(const Request& request, std::string_view body, const Auth& auth) {
  const int64_t now_ms = require_now(request.now_ms, Source::canonical, false);
  const auto keys = hmac_keys(Source::canonical, auth);
  const std::string* signatures = find_header(request, "webhook-signature");
  if (!signatures) return fail("missing_signature", "the webhook-signature header is missing");
  const std::string* id = find_header(request, "webhook-id");
  if (!id || trim(*id).empty())
    return fail("missing_message_id", "the webhook-id header is missing");
  const std::string* timestamp = find_header(request, "webhook-timestamp");
  if (!timestamp) return fail("missing_timestamp", "the webhook-timestamp header is missing");
  const std::string_view timestamp_text = trim(*timestamp);
  const auto timestamp_s = parse_digits(timestamp_text, 12);
  if (!timestamp_s)
    return fail("malformed_timestamp", "webhook-timestamp is not a whole number of seconds");

  // A space-separated list of "<version>,<signature>": several during a secret rotation. Only v1
  // (HMAC-SHA256, base64) is symmetric; other versions (v1a is ed25519) are skipped.
  std::vector<std::string> candidates;
  bool saw_malformed = false, saw_other_version = false;
  std::string_view list = trim(*signatures);
  while (!list.empty()) {
    const std::size_t space = list.find(' ');
    const std::string_view entry = list.substr(0, space);
    list = space == std::string_view::npos ? std::string_view() : list.substr(space + 1);
    if (entry.empty()) continue;
    const std::size_t comma = entry.find(',');
    if (comma == std::string_view::npos) {
      saw_malformed = true;
    } else if (entry.substr(0, comma) != "v1") {
      saw_other_version = true;
    } else if (auto mac = decode_mac(entry.substr(comma + 1), Encoding::base64, 32)) {
      candidates.push_back(std::move(*mac));
    } else {
      saw_malformed = true;
    }
  }
  if (candidates.empty()) {
    if (saw_other_version && !saw_malformed)
      return fail("unsupported_signature_version",
                  "webhook-signature has no v1 (HMAC-SHA256) entry; other versions such as v1a "
                  "(ed25519) are not supported");
    return fail("malformed_signature",
                "webhook-signature has no well-formed v1,<base64 HMAC-SHA256> entry");
  }
  const std::string_view message_id = trim(*id);
  const auto matched = matching_secret(
      keys, HashAlgorithm::sha256, {message_id, ".", timestamp_text, ".", body}, candidates);
  return conclude("Standard Webhooks", matched, keys.size(),
                  outside_window("Standard Webhooks", *timestamp_s * 1000, now_ms, 5 * kMinuteMs,
                                 5 * kMinuteMs));
}

// Vapi's static credentials: a shared secret in a header, or a bearer token. They prove the sender
// knows the secret, not that the body is intact, and they give no replay protection.
Verdict verify_vapi_credential(const Request& request, const Auth& auth) {
  const std::string name = vapi_credential_header(auth.vapi);
  const std::string* header = find_header(request, lowercase(name));
  if (!header) return fail("missing_signature", "the " + name + " header is missing");
  std::string_view token = trim(*header);
  if (auth.vapi.type == VapiAuthType::bearer && auth.vapi.bearer_prefix) {
    if (lowercase(token.substr(0, 7)) != "bearer ")
      return fail("malformed_signature", name + " is not of the form \"Bearer <token>\"");
    token = trim(token.substr(7));
  }
  if (token.empty()) return fail("malformed_signature", "the " + name + " header is empty");
  // Comparing digests rather than the strings themselves keeps the secret's length from showing in
  // the comparison time too.
  const std::string received = crypto::Sha256::digest(token);
  for (std::size_t i = 0; i < auth.secrets.size(); ++i)
    if (crypto::constant_time_equal(received, crypto::Sha256::digest(auth.secrets[i])))
      return pass(i);
  return fail("signature_mismatch", "the " + name + " credential does not match any of the " +
                                        std::to_string(auth.secrets.size()) +
                                        " configured secret(s)");
}

Verdict verify_vapi_hmac(const Request& request, std::string_view body, const Auth& auth) {
  const VapiAuth& vapi = auth.vapi;
  const auto segments = parse_payload_format(vapi.payload_format);
  const bool timestamped = uses(segments, Field::timestamp);
  const int64_t now_ms = timestamped ? require_now(request.now_ms, Source::vapi, false) : 0;
  if (uses(segments, Field::url) && !request.url)
    throw UsageError("bad_request", "request.url is required: auth.auth.payloadFormat uses {url}");
  const auto keys = hmac_keys(Source::vapi, auth);

  const std::string* header = find_header(request, lowercase(vapi.signature_header));
  if (!header) return fail("missing_signature", "the " + vapi.signature_header + " header is missing");
  const std::string_view value = trim(*header);
  if (!starts_with(value, vapi.signature_prefix))
    return fail("malformed_signature", vapi.signature_header +
                                           " does not start with the configured signaturePrefix");
  const auto mac = decode_mac(value.substr(vapi.signature_prefix.size()), vapi.signature_encoding,
                              crypto::digest_size(vapi.algorithm));
  if (!mac)
    return fail("malformed_signature",
                vapi.signature_header + " is not a " +
                    (vapi.signature_encoding == Encoding::hex ? "hex" : "base64") + " " +
                    algorithm_name(vapi.algorithm) + " digest");

  FieldValues values;
  values.body = body;
  values.method = request.method;
  if (request.url) values.url = *request.url;
  std::optional<int64_t> timestamp_ms;
  if (timestamped) {
    const std::string* timestamp = find_header(request, lowercase(vapi.timestamp_header));
    if (!timestamp)
      return fail("missing_timestamp", "the " + vapi.timestamp_header + " header is missing");
    values.timestamp = trim(*timestamp);
    const auto number = parse_digits(values.timestamp, 13);
    if (!number)
      return fail("malformed_timestamp",
                  vapi.timestamp_header + " is not Unix seconds or milliseconds (digits only)");
    // Vapi does not document the unit: 13 digits is Unix milliseconds (until the year 2286),
    // anything shorter is seconds.
    timestamp_ms = values.timestamp.size() == 13 ? *number : *number * 1000;
  }
  if (uses(segments, Field::message_id)) {
    const std::string* id = find_header(request, lowercase(vapi.message_id_header));
    if (!id) return fail("missing_message_id", "the " + vapi.message_id_header + " header is missing");
    values.message_id = trim(*id);
  }

  const auto matched = matching_secret(keys, vapi.algorithm, render(segments, values), {*mac});
  const int64_t tolerance_ms = vapi.tolerance_seconds * 1000;
  return conclude("vapi", matched, keys.size(),
                  timestamp_ms ? outside_window("vapi", *timestamp_ms, now_ms, tolerance_ms,
                                                tolerance_ms)
                               : std::nullopt);
}

// Every header a scheme reads: one given twice under names differing only in case is refused
// rather than resolved by a silent choice.
std::vector<std::string> headers_read(Source source, const VapiAuth& vapi) {
  switch (source) {
    case Source::canonical: return {"webhook-id", "webhook-timestamp", "webhook-signature"};
    case Source::retell: return {"x-retell-signature"};
    case Source::elevenlabs: return {"elevenlabs-signature"};
    case Source::bland: return {"x-webhook-signature"};
    case Source::vapi:
      if (vapi.type != VapiAuthType::hmac) return {lowercase(vapi_credential_header(vapi))};
      return {lowercase(vapi.signature_header), lowercase(vapi.timestamp_header),
              lowercase(vapi.message_id_header)};
  }
  return {};
}

// ---- signing -------------------------------------------------------------------------------------

Headers sign_vapi(std::string_view body, const Auth& auth, std::optional<int64_t> now_ms) {
  const VapiAuth& vapi = auth.vapi;
  if (vapi.type != VapiAuthType::hmac) {
    const bool prefixed = vapi.type == VapiAuthType::bearer && vapi.bearer_prefix;
    return {{vapi_credential_header(vapi), (prefixed ? "Bearer " : "") + auth.secrets[0]}};
  }
  const auto segments = parse_payload_format(vapi.payload_format);
  if (uses(segments, Field::url) && auth.url.empty())
    throw UsageError("bad_auth", "auth.url is required to sign: auth.auth.payloadFormat uses {url}");
  const std::string key = hmac_keys(Source::vapi, auth)[0];

  Headers headers;
  FieldValues values;
  values.body = body;
  values.method = auth.method;
  values.url = auth.url;
  // Timestamps are sent in seconds (Vapi's unit is undocumented; verify accepts both).
  const std::string timestamp =
      uses(segments, Field::timestamp) ? seconds_text(require_now(now_ms, Source::vapi, true)) : "";
  const std::string message_id = derived_message_id(body);
  if (!timestamp.empty()) {
    values.timestamp = timestamp;
    headers.emplace_back(vapi.timestamp_header, timestamp);
  }
  if (uses(segments, Field::message_id)) {
    values.message_id = message_id;
    headers.emplace_back(vapi.message_id_header, message_id);
  }
  const std::string mac = crypto::hmac(vapi.algorithm, key, render(segments, values));
  headers.emplace_back(vapi.signature_header,
                       vapi.signature_prefix + (vapi.signature_encoding == Encoding::hex
                                                    ? crypto::hex_encode(mac)
                                                    : crypto::base64_encode(mac)));
  return headers;
}

}  // namespace

std::optional<Source> source_from_name(std::string_view name) {
  for (Source source : {Source::canonical, Source::vapi, Source::retell, Source::elevenlabs,
                        Source::bland})
    if (name == source_name(source)) return source;
  return std::nullopt;
}

const char* source_name(Source source) {
  switch (source) {
    case Source::canonical: return "canonical";
    case Source::vapi: return "vapi";
    case Source::retell: return "retell";
    case Source::elevenlabs: return "elevenlabs";
    case Source::bland: return "bland";
  }
  return "";
}

Verdict verify(Source source, const Request& request, std::string_view body, const Auth& auth) {
  // The core never passes an unsigned request silently: whether that is acceptable is the
  // service's decision, made on this reason code.
  if (auth.secrets.empty())
    return fail("no_secret_configured", std::string("no secret is configured for ") +
                                            source_name(source) +
                                            " webhooks, so this request cannot be authenticated");
  for (const std::string& name : headers_read(source, auth.vapi))
    if (request.ambiguous_headers.count(name))
      return fail("ambiguous_header",
                  "the " + name + " header was given more than once (names differing only in case)");
  switch (source) {
    case Source::canonical: return verify_canonical(request, body, auth);
    case Source::retell: return verify_retell(request, body, auth);
    case Source::elevenlabs: return verify_elevenlabs(request, body, auth);
    case Source::bland: return verify_bland(request, body, auth);
    case Source::vapi:
      return auth.vapi.type == VapiAuthType::hmac ? verify_vapi_hmac(request, body, auth)
                                                  : verify_vapi_credential(request, auth);
  }
  return fail("internal", "unknown source");
}

std::vector<std::pair<std::string, std::string>> sign(Source source, std::string_view body,
                                                      const Auth& auth,
                                                      std::optional<int64_t> now_ms) {
  if (auth.secrets.empty())
    throw UsageError("no_secret_configured", "sign needs at least one secret in auth.secrets");
  if (source == Source::vapi) return sign_vapi(body, auth, now_ms);

  const std::string key = hmac_keys(source, auth)[0];
  const auto mac_of = [&key](const std::vector<std::string_view>& message) {
    return crypto::hmac(HashAlgorithm::sha256, key, message);
  };
  switch (source) {
    case Source::canonical: {
      const std::string id = derived_message_id(body);
      const std::string timestamp = seconds_text(require_now(now_ms, source, true));
      return {{"webhook-id", id},
              {"webhook-timestamp", timestamp},
              {"webhook-signature",
               "v1," + crypto::base64_encode(mac_of({id, ".", timestamp, ".", body}))}};
    }
    case Source::retell: {
      const std::string timestamp = std::to_string(require_now(now_ms, source, true));
      return {{"x-retell-signature",
               "v=" + timestamp + ",d=" + crypto::hex_encode(mac_of({body, timestamp}))}};
    }
    case Source::elevenlabs: {
      const std::string timestamp = seconds_text(require_now(now_ms, source, true));
      return {{"ElevenLabs-Signature",
               "t=" + timestamp + ",v0=" + crypto::hex_encode(mac_of({timestamp, ".", body}))}};
    }
    case Source::bland: return {{"X-Webhook-Signature", crypto::hex_encode(mac_of({body}))}};
    case Source::vapi: break;  // handled above
  }
  return {};
}

}  // namespace phone_handoff::signature
