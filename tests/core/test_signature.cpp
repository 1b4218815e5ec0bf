// verify and sign through the public call(), per source. Vectors:
//  - Retell and ElevenLabs: /work/shared/reference/voice-platforms.md §9 (the vendors' SDK tests).
//  - Standard Webhooks: the "sign function works" test of the reference library
//    (github.com/standard-webhooks/standard-webhooks, libraries/javascript/src/webhook.test.ts).
//  - Every other literal MAC below was computed independently with Python's hmac module, e.g.
//    hmac.new(b"bland-secret", b'{"call_id":"b1"}', hashlib.sha256).hexdigest().
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <string>
#include <vector>

#include "phone_handoff/api.hpp"

using nlohmann::json;
using phone_handoff::call;

namespace {

json run(std::string_view operation, const std::vector<std::string_view>& args) {
  return json::parse(call(operation, args));
}

std::string request(const json& headers, int64_t now_ms) {
  return json{{"headers", headers}, {"now", now_ms}, {"method", "POST"}}.dump();
}

std::string secrets(std::vector<std::string> list) { return json{{"secrets", list}}.dump(); }

std::string vapi_auth(const json& auth, std::vector<std::string> list) {
  return json{{"auth", auth}, {"secrets", list}}.dump();
}

json verify(std::string_view source, const std::string& req, std::string_view body,
            const std::string& auth) {
  return run("verify", {source, req, body, auth});
}

json sign(std::string_view source, std::string_view body, const std::string& auth,
          std::string_view now = {}) {
  if (now.empty()) return run("sign", {source, body, auth});
  return run("sign", {source, body, auth, now});
}

// A refusal with `reason`, whose message contains none of `forbidden` (secrets, signatures).
void check_refused(const json& result, const std::string& reason,
                   const std::vector<std::string>& forbidden) {
  INFO(result.dump());
  REQUIRE(result.value("ok", true) == false);
  CHECK(result.value("reason", "") == reason);
  const std::string message = result.value("message", "");
  CHECK_FALSE(message.empty());
  for (const std::string& secret : forbidden) CHECK(message.find(secret) == std::string::npos);
}

void check_passed(const json& result, std::size_t secret_index = 0) {
  INFO(result.dump());
  CHECK(result == json{{"ok", true}, {"secretIndex", secret_index}});
}

constexpr int64_t kRetellTs = 1700000000000;
const std::string kRetellBody = R"({"event":"call_ended"})";
const std::string kRetellDigest = "07024cabe7dd8f6d1c6e4a8324ca92c812e6ad4a7ee506c04f7e462e3321823e";
const std::string kRetellHeader = "v=1700000000000,d=" + kRetellDigest;

constexpr int64_t kElevenTs = 1739537297;
const std::string kElevenBody = R"({"type":"post_call_transcription"})";
const std::string kElevenDigest = "0224015c9b177997645410423294956ee55755a049b8d972813fc50c6c58f3d9";
const std::string kElevenHeader = "t=1739537297,v0=" + kElevenDigest;

const std::string kSwSecret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
const std::string kSwId = "msg_p5jXN8AQM9LWM0D4loKWxJek";
constexpr int64_t kSwTs = 1614265330;
const std::string kSwBody = R"({"test": 2432232314})";
const std::string kSwSignature = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";

json sw_headers(const std::string& signature) {
  return {{"webhook-id", kSwId}, {"webhook-timestamp", std::to_string(kSwTs)},
          {"webhook-signature", signature}};
}

const std::string kBlandBody = R"({"call_id":"b1"})";
const std::string kBlandDigest = "ee20029e8d40be6c5e8a9a04bc2362f228825a7ba24c139a8b73d7bad5953fe7";

const std::string kVapiBody = R"({"message":{"type":"end-of-call-report"}})";
const std::string kVapiDigest = "db859ca753bebfe5209df04b355498a962f7371218f063f083ca1b4264d74db1";

std::string flip_one_byte(std::string body) {
  body[body.size() / 2] ^= 0x01;
  return body;
}

}  // namespace

// ---- Retell --------------------------------------------------------------------------------------

TEST_CASE("retell: the reference vector verifies and signs to the same header", "[signature]") {
  check_passed(verify("retell", request({{"x-retell-signature", kRetellHeader}}, kRetellTs + 1000),
                      kRetellBody, secrets({"test-api-key"})));
  CHECK(sign("retell", kRetellBody, secrets({"test-api-key"}), "1700000000000") ==
        json{{"headers", {{"x-retell-signature", kRetellHeader}}}});
}

TEST_CASE("retell: wrong secret, tampered body, and header names in any case", "[signature]") {
  const std::vector<std::string> forbidden = {"test-api-key", "wrong-key", kRetellDigest};
  check_refused(verify("retell", request({{"x-retell-signature", kRetellHeader}}, kRetellTs),
                       kRetellBody, secrets({"wrong-key"})),
                "signature_mismatch", forbidden);
  check_refused(verify("retell", request({{"x-retell-signature", kRetellHeader}}, kRetellTs),
                       flip_one_byte(kRetellBody), secrets({"test-api-key"})),
                "signature_mismatch", forbidden);
  for (const char* name : {"X-Retell-Signature", "X-RETELL-SIGNATURE", "x-retell-signature"})
    check_passed(verify("retell", request({{name, kRetellHeader}}, kRetellTs), kRetellBody,
                        secrets({"test-api-key"})));
}

TEST_CASE("retell: the replay window is 5 minutes either way, in milliseconds", "[signature]") {
  const auto at = [](int64_t now) {
    return verify("retell", request({{"x-retell-signature", kRetellHeader}}, now), kRetellBody,
                  secrets({"test-api-key"}));
  };
  check_passed(at(kRetellTs + 300000));
  check_passed(at(kRetellTs - 300000));
  check_refused(at(kRetellTs + 300001), "timestamp_outside_window", {"test-api-key", kRetellDigest});
  check_refused(at(kRetellTs - 300001), "timestamp_outside_window", {"test-api-key", kRetellDigest});
  // An authentic but stale request still reports a wrong secret as a wrong secret.
  check_refused(verify("retell", request({{"x-retell-signature", kRetellHeader}}, kRetellTs + 3600000),
                       kRetellBody, secrets({"wrong-key"})),
                "signature_mismatch", {});
}

TEST_CASE("retell: malformed signature headers are refused with a reason", "[signature]") {
  const auto with = [](const std::string& header) {
    return verify("retell", request({{"x-retell-signature", header}}, kRetellTs), kRetellBody,
                  secrets({"test-api-key"}));
  };
  const std::vector<std::string> forbidden = {"test-api-key", kRetellDigest};
  check_refused(with("garbage"), "malformed_signature", forbidden);
  check_refused(with(""), "malformed_signature", forbidden);
  check_refused(with("v=1700000000000"), "malformed_signature", forbidden);
  check_refused(with("d=" + kRetellDigest), "missing_timestamp", forbidden);
  check_refused(with("v=17000000000x0,d=" + kRetellDigest), "malformed_timestamp", forbidden);
  check_refused(with("v=-1,d=" + kRetellDigest), "malformed_timestamp", forbidden);
  check_refused(with("v=1700000000000,d=" + kRetellDigest.substr(2)), "malformed_signature",
                forbidden);  // 62 hex digits
  check_refused(with("v=1700000000000,d=" + kRetellDigest + "00"), "malformed_signature", forbidden);
  check_refused(with("v=1700000000000,d=" + std::string(64, 'g')), "malformed_signature", forbidden);
  check_refused(with("v=1,v=1700000000000,d=" + kRetellDigest), "malformed_signature", forbidden);
  check_refused(verify("retell", request(json::object(), kRetellTs), kRetellBody,
                       secrets({"test-api-key"})),
                "missing_signature", forbidden);
}

// ---- ElevenLabs -------------------------------------------------------------------------------

TEST_CASE("elevenlabs: the reference vector verifies and signs to the same header", "[signature]") {
  check_passed(verify("elevenlabs",
                      request({{"ElevenLabs-Signature", kElevenHeader}}, kElevenTs * 1000 + 5000),
                      kElevenBody, secrets({"whsec_test"})));
  CHECK(sign("elevenlabs", kElevenBody, secrets({"whsec_test"}), "1739537297999") ==
        json{{"headers", {{"ElevenLabs-Signature", kElevenHeader}}}});
  // Items in either order, as the SDKs split on ',' and pick by key.
  check_passed(verify("elevenlabs",
                      request({{"elevenlabs-signature", "v0=" + kElevenDigest + ",t=1739537297"}},
                              kElevenTs * 1000),
                      kElevenBody, secrets({"whsec_test"})));
}

TEST_CASE("elevenlabs: 30 minutes into the past, 5 minutes of future skew", "[signature]") {
  const auto at = [](int64_t now) {
    return verify("elevenlabs", request({{"elevenlabs-signature", kElevenHeader}}, now),
                  kElevenBody, secrets({"whsec_test"}));
  };
  const int64_t signed_ms = kElevenTs * 1000;
  check_passed(at(signed_ms + 30 * 60 * 1000));
  check_refused(at(signed_ms + 30 * 60 * 1000 + 1), "timestamp_outside_window", {"whsec_test"});
  check_passed(at(signed_ms - 5 * 60 * 1000));
  check_refused(at(signed_ms - 5 * 60 * 1000 - 1), "timestamp_outside_window", {"whsec_test"});
}

TEST_CASE("elevenlabs: wrong secret, tampered body, malformed headers", "[signature]") {
  const auto with = [](const std::string& header, const std::string& body, const std::string& secret) {
    return verify("elevenlabs", request({{"ElevenLabs-Signature", header}}, kElevenTs * 1000), body,
                  secrets({secret}));
  };
  const std::vector<std::string> forbidden = {"whsec_test", "whsec_other", kElevenDigest};
  check_refused(with(kElevenHeader, kElevenBody, "whsec_other"), "signature_mismatch", forbidden);
  check_refused(with(kElevenHeader, flip_one_byte(kElevenBody), "whsec_test"), "signature_mismatch",
                forbidden);
  check_refused(with("t=1739537297", kElevenBody, "whsec_test"), "malformed_signature", forbidden);
  check_refused(with("v0=" + kElevenDigest, kElevenBody, "whsec_test"), "missing_timestamp", forbidden);
  check_refused(with("t=1739537297.5,v0=" + kElevenDigest, kElevenBody, "whsec_test"),
                "malformed_timestamp", forbidden);
  check_refused(with("t=1739537297,v0=" + kElevenDigest.substr(0, 40), kElevenBody, "whsec_test"),
                "malformed_signature", forbidden);
  check_refused(with(",,,", kElevenBody, "whsec_test"), "malformed_signature", forbidden);
}

// ---- Standard Webhooks (canonical) -------------------------------------------------------------

TEST_CASE("canonical: the Standard Webhooks reference vector verifies", "[signature]") {
  check_passed(verify("canonical", request(sw_headers(kSwSignature), kSwTs * 1000 + 2000), kSwBody,
                      secrets({kSwSecret})));
  // The reference libraries also accept the secret without its whsec_ prefix.
  check_passed(verify("canonical", request(sw_headers(kSwSignature), kSwTs * 1000), kSwBody,
                      secrets({"MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"})));
  // Names in other cases.
  const json shouted = {{"Webhook-Id", kSwId}, {"WEBHOOK-TIMESTAMP", std::to_string(kSwTs)},
                        {"Webhook-Signature", kSwSignature}};
  check_passed(verify("canonical", request(shouted, kSwTs * 1000), kSwBody, secrets({kSwSecret})));
}

TEST_CASE("canonical: sign derives the message id from the body's SHA-256", "[signature]") {
  const std::string body = R"({"version":1,"call_id":"c1"})";
  CHECK(sign("canonical", body, secrets({kSwSecret}), "1700000000123") ==
        json{{"headers",
              {{"webhook-id", "msg_2475c55f60c638ca657f430fd3525411"},
               {"webhook-timestamp", "1700000000"},
               {"webhook-signature", "v1,c205dq5ay3tqYwiJslSvpR6zT7PLjLNtVF87hMeAfno="}}}});
}

TEST_CASE("canonical: several signatures, rotation, other versions", "[signature]") {
  const std::string other = "v1,Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc=";
  check_passed(verify("canonical",
                      request(sw_headers(other + " v2,abc " + kSwSignature + " " + other), kSwTs * 1000),
                      kSwBody, secrets({kSwSecret})));
  // The second configured secret matches.
  check_passed(verify("canonical", request(sw_headers(kSwSignature), kSwTs * 1000), kSwBody,
                      secrets({"whsec_" + std::string("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"), kSwSecret})),
               1);
  check_refused(verify("canonical", request(sw_headers("v1a,hnO3f9T8Ytu9HwrXslvumlUp"), kSwTs * 1000),
                       kSwBody, secrets({kSwSecret})),
                "unsupported_signature_version", {kSwSecret});
}

TEST_CASE("canonical: missing and malformed headers, window, tampering", "[signature]") {
  const std::vector<std::string> forbidden = {kSwSecret, "MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
                                              kSwSignature.substr(3)};
  const auto without = [](const char* name) {
    json headers = sw_headers(kSwSignature);
    headers.erase(name);
    return verify("canonical", request(headers, kSwTs * 1000), kSwBody, secrets({kSwSecret}));
  };
  check_refused(without("webhook-signature"), "missing_signature", forbidden);
  check_refused(without("webhook-id"), "missing_message_id", forbidden);
  check_refused(without("webhook-timestamp"), "missing_timestamp", forbidden);

  const auto with_signature = [](const std::string& signature) {
    return verify("canonical", request(sw_headers(signature), kSwTs * 1000), kSwBody,
                  secrets({kSwSecret}));
  };
  check_refused(with_signature("garbage"), "malformed_signature", forbidden);
  check_refused(with_signature("v1,"), "malformed_signature", forbidden);
  check_refused(with_signature("v1,dawfeoifkpqwoekfpqoekf"), "malformed_signature", forbidden);
  check_refused(with_signature(kSwSignature.substr(0, 8)), "malformed_signature", forbidden);
  check_refused(with_signature("   "), "malformed_signature", forbidden);

  json bad_time = sw_headers(kSwSignature);
  bad_time["webhook-timestamp"] = "hello";
  check_refused(verify("canonical", request(bad_time, kSwTs * 1000), kSwBody, secrets({kSwSecret})),
                "malformed_timestamp", forbidden);

  const auto at = [](int64_t now) {
    return verify("canonical", request(sw_headers(kSwSignature), now), kSwBody, secrets({kSwSecret}));
  };
  check_passed(at(kSwTs * 1000 + 300000));
  check_refused(at(kSwTs * 1000 + 301000), "timestamp_outside_window", forbidden);
  check_refused(at(kSwTs * 1000 - 301000), "timestamp_outside_window", forbidden);

  check_refused(verify("canonical", request(sw_headers(kSwSignature), kSwTs * 1000),
                       flip_one_byte(kSwBody), secrets({kSwSecret})),
                "signature_mismatch", forbidden);
  check_refused(verify("canonical", request(sw_headers(kSwSignature), kSwTs * 1000), kSwBody,
                       secrets({"whsec_c2VjcmV0LWtleS1ieXRlcw=="})),
                "signature_mismatch", forbidden);
}

// ---- Bland -------------------------------------------------------------------------------------

TEST_CASE("bland: hex HMAC of the raw body, no timestamp", "[signature]") {
  check_passed(verify("bland", request({{"X-Webhook-Signature", kBlandDigest}}, 0), kBlandBody,
                      secrets({"bland-secret"})));
  // Uppercase hex is the same digest.
  std::string upper = kBlandDigest;
  for (char& c : upper) c = char(std::toupper(static_cast<unsigned char>(c)));
  check_passed(verify("bland", request({{"x-webhook-signature", upper}}, 0), kBlandBody,
                      secrets({"bland-secret"})));
  CHECK(sign("bland", kBlandBody, secrets({"bland-secret"})) ==
        json{{"headers", {{"X-Webhook-Signature", kBlandDigest}}}});
  // No "now" is needed: there is nothing to compare it with.
  check_passed(verify("bland", json{{"headers", {{"x-webhook-signature", kBlandDigest}}}}.dump(),
                      kBlandBody, secrets({"bland-secret"})));

  const std::vector<std::string> forbidden = {"bland-secret", "other", kBlandDigest};
  check_refused(verify("bland", request({{"x-webhook-signature", kBlandDigest}}, 0), kBlandBody,
                       secrets({"other"})),
                "signature_mismatch", forbidden);
  check_refused(verify("bland", request({{"x-webhook-signature", kBlandDigest}}, 0),
                       flip_one_byte(kBlandBody), secrets({"bland-secret"})),
                "signature_mismatch", forbidden);
  check_refused(verify("bland", request({{"x-webhook-signature", "sha256=" + kBlandDigest}}, 0),
                       kBlandBody, secrets({"bland-secret"})),
                "malformed_signature", forbidden);
  check_refused(verify("bland", request({{"x-webhook-signature", kBlandDigest.substr(1)}}, 0),
                       kBlandBody, secrets({"bland-secret"})),
                "malformed_signature", forbidden);
  check_passed(verify("bland", request({{"x-webhook-signature", kBlandDigest}}, 0), kBlandBody,
                      secrets({"old-secret", "bland-secret"})),
               1);
}

// ---- Vapi --------------------------------------------------------------------------------------

TEST_CASE("vapi hmac: default format, independent vector, tolerance and units", "[signature]") {
  const std::string auth = vapi_auth({{"type", "hmac"}, {"algorithm", "sha256"}}, {"vapi-secret"});
  const json headers = {{"x-signature", kVapiDigest}, {"x-timestamp", "1700000000"}};
  check_passed(verify("vapi", request(headers, 1700000000000), kVapiBody, auth));
  CHECK(sign("vapi", kVapiBody, auth, "1700000000000") ==
        json{{"headers", {{"x-timestamp", "1700000000"}, {"x-signature", kVapiDigest}}}});

  const std::vector<std::string> forbidden = {"vapi-secret", kVapiDigest};
  check_refused(verify("vapi", request(headers, 1700000000000 + 301000), kVapiBody, auth),
                "timestamp_outside_window", forbidden);
  check_refused(verify("vapi", request(headers, 1700000000000 - 301000), kVapiBody, auth),
                "timestamp_outside_window", forbidden);
  const std::string tight =
      vapi_auth({{"type", "hmac"}, {"toleranceSeconds", 60}}, {"vapi-secret"});
  check_refused(verify("vapi", request(headers, 1700000000000 + 61000), kVapiBody, tight),
                "timestamp_outside_window", forbidden);
  check_passed(verify("vapi", request(headers, 1700000000000 + 59000), kVapiBody, tight));
}

TEST_CASE("vapi hmac: millisecond timestamps are recognised by their 13 digits", "[signature]") {
  // hmac(b"vapi-secret", b"1700000000000.<body>"): the MAC covers the digits as sent.
  const std::string auth = vapi_auth({{"type", "hmac"}}, {"vapi-secret"});
  const json ms_headers = {
      {"x-signature", "631429d4a01a10696a07b87540e7df851f988686a44b2601717be53d40949c00"},
      {"x-timestamp", "1700000000000"}};
  check_passed(verify("vapi", request(ms_headers, 1700000000000 + 299000), kVapiBody, auth));
  check_refused(verify("vapi", request(ms_headers, 1700000000000 + 301000), kVapiBody, auth),
                "timestamp_outside_window", {"vapi-secret"});
  // The same instant in seconds passes the same window.
  check_passed(verify("vapi", request({{"x-signature", kVapiDigest}, {"x-timestamp", "1700000000"}},
                                      1700000000000 + 299000),
                      kVapiBody, auth));
  check_refused(verify("vapi", request({{"x-signature", kVapiDigest}}, 1700000000000), kVapiBody, auth),
                "missing_timestamp", {"vapi-secret"});
  // Microseconds (16 digits) are neither unit: refused rather than misread.
  check_refused(verify("vapi", request({{"x-signature", kVapiDigest}, {"x-timestamp", "1700000000000000"}},
                                       1700000000000),
                       kVapiBody, auth),
                "malformed_timestamp", {"vapi-secret"});
  check_refused(verify("vapi", request({{"x-signature", kVapiDigest}, {"x-timestamp", "17e8"}},
                                       1700000000000),
                       kVapiBody, auth),
                "malformed_timestamp", {"vapi-secret"});
  check_refused(verify("vapi", request({{"x-signature", kVapiDigest.substr(0, 40)},
                                        {"x-timestamp", "1700000000"}},
                                       1700000000000),
                       kVapiBody, auth),
                "malformed_signature", {"vapi-secret", kVapiDigest});
}

TEST_CASE("vapi hmac: sha512 base64 with prefix, base64 secret, method/url/id template", "[signature]") {
  const json config = {{"type", "hmac"},
                       {"algorithm", "sha512"},
                       {"signatureHeader", "X-Vapi-Signature"},
                       {"signaturePrefix", "sha512="},
                       {"signatureEncoding", "base64"},
                       {"secretIsBase64", true},
                       {"payloadFormat", "{method} {url} {body}"}};
  const std::string auth = vapi_auth(config, {"c2VjcmV0LWtleS1ieXRlcw=="});
  const std::string expected =
      "sha512=dkUi45KUiAIPW7HJLN94x9z3y2C1Xt9hOaOeBwdxUoXsaha92ic/qKl6yCpRCb29g3Dnk7sGUi9Bu4lb3UTj/A==";
  const std::string req = json{{"headers", {{"x-vapi-signature", expected}}},
                               {"url", "https://example.test/hook"},
                               {"method", "POST"}}
                              .dump();
  check_passed(verify("vapi", req, R"({"message":{}})", auth));
  const std::string sign_auth = json{{"auth", config},
                                     {"secrets", {"c2VjcmV0LWtleS1ieXRlcw=="}},
                                     {"url", "https://example.test/hook"}}
                                    .dump();
  CHECK(sign("vapi", R"({"message":{}})", sign_auth) ==
        json{{"headers", {{"X-Vapi-Signature", expected}}}});
  const std::vector<std::string> forbidden = {"c2VjcmV0LWtleS1ieXRlcw==", "secret-key-bytes",
                                              expected.substr(7)};
  check_refused(verify("vapi", req, R"({"message":{ }})", auth), "signature_mismatch", forbidden);
  const std::string no_prefix = json{{"headers", {{"x-vapi-signature", expected.substr(7)}}},
                                     {"url", "https://example.test/hook"}}
                                    .dump();
  check_refused(verify("vapi", no_prefix, R"({"message":{}})", auth), "malformed_signature", forbidden);
  // {url} makes request.url a requirement of the call, not of the payload.
  const json error = run("verify", {"vapi", json{{"headers", {{"x-vapi-signature", expected}}}}.dump(),
                                    R"({"message":{}})", auth});
  CHECK(error["error"]["code"] == "bad_request");
}

TEST_CASE("vapi hmac: sha1 and a {svix-id} message id header round-trip", "[signature]") {
  const std::string auth = vapi_auth({{"type", "hmac"},
                                      {"algorithm", "sha1"},
                                      {"messageIdHeader", "svix-id"},
                                      {"payloadFormat", "{svix-id}.{timestamp}.{body}"}},
                                     {"k1"});
  const json headers = sign("vapi", kVapiBody, auth, "1700000000000")["headers"];
  CHECK(headers["x-signature"].get<std::string>().size() == 40);
  CHECK(headers["svix-id"].get<std::string>().rfind("msg_", 0) == 0);
  check_passed(verify("vapi", request(headers, 1700000000000), kVapiBody, auth));
  json without_id = headers;
  without_id.erase("svix-id");
  check_refused(verify("vapi", request(without_id, 1700000000000), kVapiBody, auth),
                "missing_message_id", {"k1"});
}

TEST_CASE("vapi secret_header: the X-Vapi-Secret header, compared in constant time", "[signature]") {
  const std::string auth = vapi_auth({{"type", "secret_header"}}, {"old-secret", "s3cr3t-value"});
  check_passed(verify("vapi", request({{"X-Vapi-Secret", "s3cr3t-value"}}, 0), "{}", auth), 1);
  check_passed(verify("vapi", request({{"x-vapi-secret", "old-secret"}}, 0), "{}", auth), 0);
  const std::vector<std::string> forbidden = {"old-secret", "s3cr3t-value", "guess"};
  check_refused(verify("vapi", request({{"x-vapi-secret", "guess"}}, 0), "{}", auth),
                "signature_mismatch", forbidden);
  check_refused(verify("vapi", request({{"x-vapi-secret", "s3cr3t-valuE"}}, 0), "{}", auth),
                "signature_mismatch", forbidden);
  check_refused(verify("vapi", request(json::object(), 0), "{}", auth), "missing_signature", forbidden);
  check_refused(verify("vapi", request({{"x-vapi-secret", "  "}}, 0), "{}", auth),
                "malformed_signature", forbidden);
  CHECK(sign("vapi", "{}", auth) == json{{"headers", {{"X-Vapi-Secret", "old-secret"}}}});
  const std::string custom =
      vapi_auth({{"type", "secret_header"}, {"header", "X-Hook-Token"}}, {"s3cr3t-value"});
  check_passed(verify("vapi", request({{"x-hook-token", "s3cr3t-value"}}, 0), "{}", custom));
}

TEST_CASE("vapi bearer: Authorization with and without the Bearer prefix", "[signature]") {
  const std::string auth = vapi_auth({{"type", "bearer"}}, {"tok-123"});
  check_passed(verify("vapi", request({{"Authorization", "Bearer tok-123"}}, 0), "{}", auth));
  check_passed(verify("vapi", request({{"authorization", "bearer  tok-123 "}}, 0), "{}", auth));
  const std::vector<std::string> forbidden = {"tok-123", "tok-124"};
  check_refused(verify("vapi", request({{"authorization", "tok-123"}}, 0), "{}", auth),
                "malformed_signature", forbidden);
  check_refused(verify("vapi", request({{"authorization", "Bearer tok-124"}}, 0), "{}", auth),
                "signature_mismatch", forbidden);
  CHECK(sign("vapi", "{}", auth) == json{{"headers", {{"Authorization", "Bearer tok-123"}}}});

  const std::string bare = vapi_auth(
      {{"type", "bearer"}, {"header", "X-Vapi-Secret"}, {"bearerPrefix", false}}, {"tok-123"});
  check_passed(verify("vapi", request({{"x-vapi-secret", "tok-123"}}, 0), "{}", bare));
  CHECK(sign("vapi", "{}", bare) == json{{"headers", {{"X-Vapi-Secret", "tok-123"}}}});
}

// ---- every source ------------------------------------------------------------------------------

TEST_CASE("sign then verify round-trips for every source and Vapi auth type", "[signature]") {
  const std::vector<std::pair<std::string, std::string>> configs = {
      {"canonical", secrets({"whsec_c2VjcmV0LWtleS1ieXRlcw=="})},
      {"retell", secrets({"key_abc"})},
      {"elevenlabs", secrets({"whsec_abc"})},
      {"bland", secrets({"bland"})},
      {"vapi", vapi_auth({{"type", "secret_header"}}, {"v"})},
      {"vapi", vapi_auth({{"type", "bearer"}}, {"v"})},
      {"vapi", vapi_auth({{"type", "hmac"}}, {"v"})},
      {"vapi", vapi_auth({{"type", "hmac"}, {"algorithm", "sha512"}, {"signatureEncoding", "base64"},
                          {"payloadFormat", "{body}"}},
                         {"v"})},
  };
  const std::vector<std::string> bodies = {"", "{}", "{\"text\":\"se\xc3\xb1or \xe2\x82\xac\"}",
                                           std::string(100000, 'x'), std::string("a\0b", 3)};
  const int64_t now = 1767225600000;
  for (const auto& [source, auth] : configs) {
    for (const std::string& body : bodies) {
      INFO(source << " " << auth << " body size " << body.size());
      const json headers = sign(source, body, auth, std::to_string(now))["headers"];
      REQUIRE(headers.is_object());
      check_passed(verify(source, request(headers, now + 1000), body, auth));
      if (!body.empty() && auth.find("secret_header") == std::string::npos &&
          auth.find("bearer") == std::string::npos)
        check_refused(verify(source, request(headers, now + 1000), flip_one_byte(body), auth),
                      "signature_mismatch", {});
    }
  }
}

TEST_CASE("no secret configured is a refusal, never a silent pass", "[signature]") {
  for (const char* source : {"canonical", "vapi", "retell", "elevenlabs", "bland"}) {
    check_refused(run("verify", {source, request({{"x-retell-signature", kRetellHeader}}, kRetellTs),
                                 kRetellBody}),
                  "no_secret_configured", {});
    check_refused(verify(source, request(json::object(), 0), "{}", secrets({})),
                  "no_secret_configured", {});
  }
}

TEST_CASE("a signature header given twice under different cases is refused", "[signature]") {
  check_refused(verify("bland",
                       request({{"X-Webhook-Signature", kBlandDigest},
                                {"x-webhook-signature", std::string(64, '0')}},
                               0),
                       kBlandBody, secrets({"bland-secret"})),
                "ambiguous_header", {"bland-secret", kBlandDigest});
}

TEST_CASE("caller mistakes are errors that name the problem but not the secret", "[signature]") {
  const auto code = [](const json& result) { return result["error"]["code"].get<std::string>(); };
  const auto message = [](const json& result) { return result["error"]["message"].get<std::string>(); };

  CHECK(code(run("verify", {"twilio", "{}", "{}"})) == "unknown_source");
  CHECK(code(run("verify", {"bland", "[]", "{}"})) == "bad_request");
  CHECK(code(run("verify", {"bland", R"({"header": {}})", "{}"})) == "bad_request");
  CHECK(code(run("verify", {"retell", R"({"headers": {"a": 1}})", "{}", secrets({"k"})})) ==
        "bad_request");
  CHECK(code(run("verify", {"retell", R"({"headers": {}})", "{}", secrets({"k"})})) == "bad_request");
  CHECK(code(run("verify", {"retell", R"({"headers": {}, "now": 1.5})", "{}", secrets({"k"})})) ==
        "bad_request");

  // Malformed auth JSON: the message gives a position, never the text around it.
  const json broken = run("verify", {"bland", "{}", "{}", R"({"secrets": ["hunter2-secret)"});
  CHECK(code(broken) == "bad_auth");
  CHECK(message(broken).find("hunter2") == std::string::npos);
  const json broken_request =
      run("verify", {"vapi", R"({"headers": {"x-vapi-secret": "hunter2-secret)", "{}"});
  CHECK(code(broken_request) == "bad_request");
  CHECK(message(broken_request).find("hunter2") == std::string::npos);

  const json not_base64 = run("verify", {"canonical", request(sw_headers(kSwSignature), 0), "{}",
                                         secrets({"whsec_not base64!hunter2"})});
  CHECK(code(not_base64) == "bad_auth");
  CHECK(message(not_base64).find("hunter2") == std::string::npos);

  CHECK(code(run("verify", {"bland", "{}", "{}", R"({"secrets": [""]})"})) == "bad_auth");
  CHECK(code(run("verify", {"bland", "{}", "{}", R"({"secret": ["x"]})"})) == "bad_auth");
  CHECK(code(run("verify", {"bland", "{}", "{}", vapi_auth({{"type", "hmac"}}, {"x"})})) == "bad_auth");
  CHECK(code(run("verify", {"vapi", "{}", "{}", secrets({"x"})})) == "bad_auth");
  CHECK(code(run("verify", {"vapi", "{}", "{}", vapi_auth({{"type", "oauth"}}, {"x"})})) == "bad_auth");
  CHECK(code(run("verify", {"vapi", "{}", "{}",
                            vapi_auth({{"type", "hmac"}, {"algorithm", "md5"}}, {"x"})})) == "bad_auth");
  CHECK(code(run("verify", {"vapi", "{}", "{}",
                            vapi_auth({{"type", "hmac"}, {"tolerance", 5}}, {"x"})})) == "bad_auth");
  const json placeholder = run("verify", {"vapi", request(json::object(), 0), "{}",
                                          vapi_auth({{"type", "hmac"}, {"payloadFormat", "{ts}.{body}"}},
                                                    {"x"})});
  CHECK(code(placeholder) == "bad_auth");
  CHECK(message(placeholder).find("{ts}") != std::string::npos);
  CHECK(code(run("verify", {"vapi", request(json::object(), 0), "{}",
                            vapi_auth({{"type", "hmac"}, {"payloadFormat", "{timestamp}"}}, {"x"})})) ==
        "bad_auth");
  CHECK(code(run("verify", {"vapi", "{}", "{}",
                            vapi_auth({{"type", "hmac"}, {"payloadFormat", "{svix-id}.{body}"}}, {"x"})})) ==
        "bad_auth");

  CHECK(code(run("sign", {"retell", "{}", secrets({"k"})})) == "bad_arguments");  // no now
  CHECK(code(run("sign", {"retell", "{}", secrets({"k"}), "-5"})) == "bad_arguments");
  CHECK(code(run("sign", {"retell", "{}", secrets({"k"}), "soon"})) == "bad_arguments");
  CHECK(code(run("sign", {"retell", "{}", secrets({})})) == "no_secret_configured");
}
