#include "crypto/hmac.hpp"

#include "crypto/sha1.hpp"
#include "crypto/sha256.hpp"
#include "crypto/sha512.hpp"

namespace phone_handoff::crypto {
namespace {

// HMAC(K, m) = H((K' ^ opad) || H((K' ^ ipad) || m)), where K' is the key hashed if longer than a
// block, then zero-padded to a block.
template <class Hash>
std::string hmac_with(std::string_view key, const std::vector<std::string_view>& message_parts) {
  std::string block_key = key.size() > Hash::block_size ? Hash::digest(key) : std::string(key);
  block_key.resize(Hash::block_size, '\0');

  std::string inner_pad = block_key, outer_pad = block_key;
  for (char& c : inner_pad) c = char(c ^ 0x36);
  for (char& c : outer_pad) c = char(c ^ 0x5c);

  Hash inner;
  inner.update(inner_pad);
  for (std::string_view part : message_parts) inner.update(part);
  return Hash().update(outer_pad).update(inner.finish()).finish();
}

}  // namespace

std::size_t digest_size(HashAlgorithm algorithm) {
  switch (algorithm) {
    case HashAlgorithm::sha1: return Sha1::digest_size;
    case HashAlgorithm::sha256: return Sha256::digest_size;
    case HashAlgorithm::sha512: return Sha512::digest_size;
  }
  return 0;
}

std::string hmac(HashAlgorithm algorithm, std::string_view key,
                 const std::vector<std::string_view>& message_parts) {
  switch (algorithm) {
    case HashAlgorithm::sha1: return hmac_with<Sha1>(key, message_parts);
    case HashAlgorithm::sha256: return hmac_with<Sha256>(key, message_parts);
    case HashAlgorithm::sha512: return hmac_with<Sha512>(key, message_parts);
  }
  return {};
}

}  // namespace phone_handoff::crypto
