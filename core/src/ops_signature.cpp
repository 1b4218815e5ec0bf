// Operations `verify` and `sign`: JSON in and out around signature.hpp. Everything here is about
// reading the caller's arguments strictly (a typo in a configuration key must not silently turn a
// check off); the schemes themselves live in signature.cpp.
#include <cctype>
#include <cstdint>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "ops.hpp"
#include "signature.hpp"

namespace phone_handoff::ops {
namespace {

using nlohmann::json;
using signature::Auth;
using signature::Encoding;
using signature::Request;
using signature::Source;
using signature::VapiAuth;
using signature::VapiAuthType;

json parse_json_argument(std::string_view text, const char* what, const char* code) {
  try {
    return json::parse(text);
  } catch (const json::parse_error& e) {
    // Only the position: the parser's own message quotes the text near the error, which in an
    // auth or request argument may be part of a secret.
    throw UsageError(code, std::string(what) + " is not valid JSON (error at byte " +
                               std::to_string(e.byte) + ")");
  }
}

Source source_argument(std::string_view name) {
  if (auto source = signature::source_from_name(name)) return *source;
  throw UsageError("unknown_source", "unknown source '" + std::string(name) +
                                         "' (known: canonical, vapi, retell, elevenlabs, bland)");
}

// Rejects keys outside `known`, naming them all, so a misspelt option is an error, not a no-op.
void check_keys(const json& object, const char* where, std::initializer_list<const char*> known,
                const char* code) {
  for (const auto& item : object.items()) {
    bool found = false;
    for (const char* name : known) found = found || item.key() == name;
    if (found) continue;
    std::string list;
    for (const char* name : known) list += (list.empty() ? "" : ", ") + std::string(name);
    throw UsageError(code, std::string(where) + " has an unknown key \"" + item.key() +
                               "\" (known: " + list + ")");
  }
}

// Unix milliseconds: a JSON integer, not negative.
int64_t milliseconds(const json& value, const char* where, const char* code) {
  if (!value.is_number_integer() || value.get<int64_t>() < 0)
    throw UsageError(code, std::string(where) + " must be Unix milliseconds (a whole number)");
  return value.get<int64_t>();
}

std::string lowercase(std::string text) {
  for (char& c : text) c = char(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

Request request_from_json(std::string_view text) {
  const json doc = parse_json_argument(text, "request", "bad_request");
  if (!doc.is_object()) throw UsageError("bad_request", "request must be a JSON object");
  check_keys(doc, "request", {"headers", "now", "url", "method"}, "bad_request");
  Request request;
  if (doc.contains("headers")) {
    const json& headers = doc["headers"];
    if (!headers.is_object())
      throw UsageError("bad_request", "request.headers must be an object of name: value");
    for (const auto& [name, value] : headers.items()) {
      // Node gives a header repeated on the wire as an array; HTTP says its meaning is the
      // comma-joined list, which is what a signature header would then fail to parse as.
      std::string joined;
      if (value.is_string()) {
        joined = value.get<std::string>();
      } else if (value.is_array()) {
        for (const json& part : value) {
          if (!part.is_string())
            throw UsageError("bad_request", "request.headers[\"" + name + "\"] must be text");
          joined += (joined.empty() ? "" : ", ") + part.get<std::string>();
        }
      } else {
        throw UsageError("bad_request", "request.headers[\"" + name + "\"] must be text");
      }
      const std::string key = lowercase(name);
      if (!request.headers.emplace(key, std::move(joined)).second)
        request.ambiguous_headers.insert(key);
    }
  }
  if (doc.contains("now")) request.now_ms = milliseconds(doc["now"], "request.now", "bad_request");
  if (doc.contains("url")) {
    if (!doc["url"].is_string()) throw UsageError("bad_request", "request.url must be text");
    request.url = doc["url"].get<std::string>();
  }
  if (doc.contains("method")) {
    if (!doc["method"].is_string()) throw UsageError("bad_request", "request.method must be text");
    request.method = doc["method"].get<std::string>();
  }
  return request;
}

// ---- auth ------------------------------------------------------------------------------------

std::string text_option(const json& object, const char* key, const char* where) {
  const json& value = object[key];
  if (!value.is_string() || value.get<std::string>().empty())
    throw UsageError("bad_auth", std::string(where) + "." + key + " must be non-empty text");
  return value.get<std::string>();
}

bool bool_option(const json& object, const char* key, const char* where) {
  if (!object[key].is_boolean())
    throw UsageError("bad_auth", std::string(where) + "." + key + " must be true or false");
  return object[key].get<bool>();
}

VapiAuth vapi_auth_from_json(const json& doc) {
  const char* where = "auth.auth";
  if (!doc.is_object()) throw UsageError("bad_auth", "auth.auth must be an object");
  check_keys(doc,
             where,
             {"type", "header", "bearerPrefix", "algorithm", "signatureHeader", "timestampHeader",
              "messageIdHeader", "payloadFormat", "signaturePrefix", "signatureEncoding",
              "secretIsBase64", "toleranceSeconds"},
             "bad_auth");
  VapiAuth vapi;
  if (!doc.contains("type"))
    throw UsageError("bad_auth", "auth.auth.type is required: secret_header, bearer or hmac");
  const std::string type = text_option(doc, "type", where);
  if (type == "secret_header") vapi.type = VapiAuthType::secret_header;
  else if (type == "bearer") vapi.type = VapiAuthType::bearer;
  else if (type == "hmac") vapi.type = VapiAuthType::hmac;
  else throw UsageError("bad_auth", "auth.auth.type must be secret_header, bearer or hmac");

  if (doc.contains("header")) vapi.header = text_option(doc, "header", where);
  if (doc.contains("bearerPrefix")) vapi.bearer_prefix = bool_option(doc, "bearerPrefix", where);
  if (doc.contains("algorithm")) {
    const std::string algorithm = text_option(doc, "algorithm", where);
    if (algorithm == "sha256") vapi.algorithm = crypto::HashAlgorithm::sha256;
    else if (algorithm == "sha512") vapi.algorithm = crypto::HashAlgorithm::sha512;
    else if (algorithm == "sha1") vapi.algorithm = crypto::HashAlgorithm::sha1;
    else throw UsageError("bad_auth", "auth.auth.algorithm must be sha256, sha512 or sha1");
  }
  if (doc.contains("signatureHeader"))
    vapi.signature_header = text_option(doc, "signatureHeader", where);
  if (doc.contains("timestampHeader"))
    vapi.timestamp_header = text_option(doc, "timestampHeader", where);
  if (doc.contains("messageIdHeader"))
    vapi.message_id_header = text_option(doc, "messageIdHeader", where);
  if (doc.contains("payloadFormat")) vapi.payload_format = text_option(doc, "payloadFormat", where);
  if (doc.contains("signaturePrefix")) {
    if (!doc["signaturePrefix"].is_string())
      throw UsageError("bad_auth", "auth.auth.signaturePrefix must be text");
    vapi.signature_prefix = doc["signaturePrefix"].get<std::string>();
  }
  if (doc.contains("signatureEncoding")) {
    const std::string encoding = text_option(doc, "signatureEncoding", where);
    if (encoding == "hex") vapi.signature_encoding = Encoding::hex;
    else if (encoding == "base64") vapi.signature_encoding = Encoding::base64;
    else throw UsageError("bad_auth", "auth.auth.signatureEncoding must be hex or base64");
  }
  if (doc.contains("secretIsBase64")) vapi.secret_is_base64 = bool_option(doc, "secretIsBase64", where);
  if (doc.contains("toleranceSeconds")) {
    const json& tolerance = doc["toleranceSeconds"];
    if (!tolerance.is_number_integer() || tolerance.get<int64_t>() < 1 ||
        tolerance.get<int64_t>() > 86400)
      throw UsageError("bad_auth", "auth.auth.toleranceSeconds must be a whole number from 1 to 86400");
    vapi.tolerance_seconds = tolerance.get<int64_t>();
  }
  if (vapi.payload_format.find("{svix-id}") != std::string::npos && vapi.message_id_header.empty())
    throw UsageError("bad_auth", "auth.auth.messageIdHeader is required: payloadFormat uses {svix-id}");
  return vapi;
}

// `signing` admits url and method, which only sign needs (verify reads them from the request).
Auth auth_from_json(std::string_view text, Source source, bool signing) {
  const json doc = parse_json_argument(text, "auth", "bad_auth");
  if (!doc.is_object()) throw UsageError("bad_auth", "auth must be a JSON object");
  if (signing) check_keys(doc, "auth", {"secrets", "auth", "url", "method"}, "bad_auth");
  else check_keys(doc, "auth", {"secrets", "auth"}, "bad_auth");

  Auth auth;
  if (doc.contains("secrets")) {
    const json& secrets = doc["secrets"];
    if (!secrets.is_array()) throw UsageError("bad_auth", "auth.secrets must be an array of text");
    for (std::size_t i = 0; i < secrets.size(); ++i) {
      if (!secrets[i].is_string() || secrets[i].get<std::string>().empty())
        throw UsageError("bad_auth", "auth.secrets[" + std::to_string(i) + "] must be non-empty text");
      auth.secrets.push_back(secrets[i].get<std::string>());
    }
  }
  if (source == Source::vapi) {
    // Without a credential type there is nothing to check against; with no secrets at all the
    // result (not an error) says so, as for every other source.
    if (doc.contains("auth")) auth.vapi = vapi_auth_from_json(doc["auth"]);
    else if (!auth.secrets.empty())
      throw UsageError("bad_auth", "vapi needs auth.auth.type (secret_header, bearer or hmac)");
  } else if (doc.contains("auth")) {
    throw UsageError("bad_auth", "auth.auth configures Vapi credentials only; " +
                                     std::string(signature::source_name(source)) +
                                     " has one fixed scheme");
  }
  if (doc.contains("url")) auth.url = text_option(doc, "url", "auth");
  if (doc.contains("method")) auth.method = text_option(doc, "method", "auth");
  return auth;
}

std::optional<int64_t> now_argument(const Args& args, std::size_t index) {
  if (args.size() <= index) return std::nullopt;
  const json now = parse_json_argument(args[index], "now", "bad_arguments");
  return milliseconds(now, "now", "bad_arguments");
}

}  // namespace

std::string verify(const Args& args) {
  const Source source = source_argument(args[0]);
  const Request request = request_from_json(args[1]);
  const Auth auth = args.size() > 3 ? auth_from_json(args[3], source, false) : Auth{};
  const signature::Verdict verdict = signature::verify(source, request, args[2], auth);

  nlohmann::ordered_json result;
  result["ok"] = verdict.ok;
  if (verdict.ok) {
    result["secretIndex"] = verdict.secret_index;
  } else {
    result["reason"] = verdict.reason;
    result["message"] = verdict.message;
  }
  return result.dump();
}

std::string sign(const Args& args) {
  const Source source = source_argument(args[0]);
  const Auth auth = auth_from_json(args[2], source, true);
  nlohmann::ordered_json headers = nlohmann::ordered_json::object();
  for (const auto& [name, value] : signature::sign(source, args[1], auth, now_argument(args, 3)))
    headers[name] = value;
  return nlohmann::ordered_json{{"headers", headers}}.dump();
}

}  // namespace phone_handoff::ops
