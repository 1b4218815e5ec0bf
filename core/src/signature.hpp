// Webhook authentication for every source: verify what a platform sent, and sign a body the way
// that platform would (so a deployment can be tested end to end). Pure: the caller passes the
// headers, the raw body bytes and "now"; nothing here reads a clock. See docs/signatures.md.
//
// Configuration mistakes (a secret that is not base64 where base64 is required, an unknown
// placeholder in a Vapi payloadFormat, a missing "now") throw UsageError; a request that fails
// verification is a Verdict, never an exception.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "crypto/hmac.hpp"

namespace phone_handoff::signature {

enum class Source { canonical, vapi, retell, elevenlabs, bland };
std::optional<Source> source_from_name(std::string_view name);
const char* source_name(Source source);

enum class VapiAuthType { secret_header, bearer, hmac };
enum class Encoding { hex, base64 };

// Vapi has no fixed scheme: each deployment attaches one credential (docs/signatures.md §Vapi).
// Header names are kept as configured (sign sends them so) and matched case-insensitively.
struct VapiAuth {
  VapiAuthType type = VapiAuthType::hmac;
  std::string header;  // secret_header / bearer; empty = "X-Vapi-Secret" / "Authorization"
  bool bearer_prefix = true;
  crypto::HashAlgorithm algorithm = crypto::HashAlgorithm::sha256;
  std::string signature_header = "x-signature";
  std::string timestamp_header = "x-timestamp";
  std::string message_id_header;  // needed only when payload_format uses {svix-id}
  std::string payload_format = "{timestamp}.{body}";
  std::string signature_prefix;
  Encoding signature_encoding = Encoding::hex;
  bool secret_is_base64 = false;
  int64_t tolerance_seconds = 300;
};

struct Auth {
  std::vector<std::string> secrets;  // any one matching passes (rotation); secrets[0] signs
  VapiAuth vapi;
  std::string url;                   // sign only: what {url} renders to
  std::string method = "POST";       // sign only: what {method} renders to
};

struct Request {
  std::map<std::string, std::string> headers;  // names lowercased
  std::set<std::string> ambiguous_headers;     // lowercased names given more than once
  std::optional<int64_t> now_ms;
  std::optional<std::string> url;
  std::string method = "POST";
};

struct Verdict {
  bool ok = false;
  std::size_t secret_index = 0;  // when ok: which of Auth::secrets matched
  std::string reason;            // when !ok: a stable code (docs/signatures.md lists them)
  std::string message;           // plain English; never a secret or a computed signature
};

Verdict verify(Source source, const Request& request, std::string_view body, const Auth& auth);

// The headers the platform would send with `body`, signed with auth.secrets[0], in the order and
// spelling the platform uses. now_ms is needed by every scheme that carries a timestamp.
std::vector<std::pair<std::string, std::string>> sign(Source source, std::string_view body,
                                                      const Auth& auth,
                                                      std::optional<int64_t> now_ms);

}  // namespace phone_handoff::signature
