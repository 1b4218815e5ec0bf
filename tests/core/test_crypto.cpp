// The crypto primitives against published vectors: FIPS 180-4 example messages (as listed in the
// NIST CSRC "Examples with intermediate values" and RFC 6234 §8.5), RFC 4231 (HMAC-SHA256/512),
// RFC 2202 (HMAC-SHA1) and RFC 4648 §10 (base64, base16). Padding-boundary lengths were
// cross-checked with Python's hashlib.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

#include "crypto/base64.hpp"
#include "crypto/constant_time_equal.hpp"
#include "crypto/hex.hpp"
#include "crypto/hmac.hpp"
#include "crypto/sha1.hpp"
#include "crypto/sha256.hpp"
#include "crypto/sha256_blocks.hpp"
#include "crypto/sha512.hpp"

using namespace phone_handoff::crypto;

namespace {
const std::string kFips448 = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
const std::string kFips896 =
    "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrs"
    "mnopqrstnopqrstu";

// n bytes of a fixed non-repeating-looking pattern, to land exactly on padding boundaries.
std::string pattern(std::size_t n) {
  std::string s;
  for (std::size_t i = 0; i < n; ++i) s.push_back(char((i * 7 + 3) % 256));
  return s;
}

std::string unhex(std::string_view text) { return hex_decode(text).value(); }
}  // namespace

TEST_CASE("SHA-1 matches the FIPS 180 examples", "[crypto][signature]") {
  CHECK(hex_encode(Sha1::digest("")) == "da39a3ee5e6b4b0d3255bfef95601890afd80709");
  CHECK(hex_encode(Sha1::digest("abc")) == "a9993e364706816aba3e25717850c26c9cd0d89d");
  CHECK(hex_encode(Sha1::digest(kFips448)) == "84983e441c3bd26ebaae4aa1f95129e5e54670f1");
  CHECK(hex_encode(Sha1::digest(std::string(1000000, 'a'))) ==
        "34aa973cd4c4daa4f61eeb2bdbad27316534016f");
}

TEST_CASE("SHA-256 matches the FIPS 180 examples", "[crypto][signature]") {
  CHECK(hex_encode(Sha256::digest("")) ==
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  CHECK(hex_encode(Sha256::digest("abc")) ==
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  CHECK(hex_encode(Sha256::digest(kFips448)) ==
        "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  CHECK(hex_encode(Sha256::digest(std::string(1000000, 'a'))) ==
        "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

TEST_CASE("SHA-512 matches the FIPS 180 examples", "[crypto][signature]") {
  CHECK(hex_encode(Sha512::digest("")) ==
        "cf83e1357eefb8bdf1542850d66d8007d620e4050b5715dc83f4a921d36ce9ce"
        "47d0d13c5d85f2b0ff8318d2877eec2f63b931bd47417a81a538327af927da3e");
  CHECK(hex_encode(Sha512::digest("abc")) ==
        "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a"
        "2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f");
  CHECK(hex_encode(Sha512::digest(kFips896)) ==
        "8e959b75dae313da8cf4f72814fc143f8f7779c6eb9f7fa17299aeadb6889018"
        "501d289e4900f7e4331b99dec4b5433ac7d329eeb6dd26545e96e55b874be909");
  CHECK(hex_encode(Sha512::digest(std::string(1000000, 'a'))) ==
        "e718483d0ce769644e2e42c7bc15b4638e1f98b13b2044285632a803afa973eb"
        "de0ff244877ea60a4cb0432ce577c31beb009c5c2c49aa2e4eadb217ad8cc09b");
}

TEST_CASE("hashes pad correctly at every block boundary", "[crypto][signature]") {
  // 55/56 and 63/64 bytes straddle the point where the length field no longer fits (64-byte
  // blocks); 111/112 and 127/128 do the same for SHA-512's 128-byte blocks.
  CHECK(hex_encode(Sha1::digest(pattern(55))) == "ddf57317ef34bfee3b6df83d359098930eb278bc");
  CHECK(hex_encode(Sha1::digest(pattern(56))) == "a0d492bb0fc889d0eca3bc137066ab6f4f74f369");
  CHECK(hex_encode(Sha1::digest(pattern(64))) == "bede92be29c3874e1b54ddc77988d606fc857a8e");
  CHECK(hex_encode(Sha256::digest(pattern(55))) ==
        "e7313d333c272e639f790978283f9eb392e843d0f29b7016828bb1daa4aac70b");
  CHECK(hex_encode(Sha256::digest(pattern(56))) ==
        "4324d65f3c103567f5589c710bc08f8523f929a9272e3af36fc968e52abc6c27");
  CHECK(hex_encode(Sha256::digest(pattern(63))) ==
        "81c80242132f230c3bd41b3e63bbcff16107339549214a99614ff26664625055");
  CHECK(hex_encode(Sha256::digest(pattern(64))) ==
        "39e3d7b6b5d075d37d053ad89b24b41bef4f3c29760c84447cab3f3be1882241");
  CHECK(hex_encode(Sha256::digest(pattern(65))) ==
        "aacca6ff74fdbb296d165a45cecfa04e5127bc008770fbbdd48006f2d2fae95e");
  CHECK(hex_encode(Sha512::digest(pattern(111))) ==
        "68cffa6d0d76f309c9ce0d35280939f8e25990c43b7b086ccdf709be35b07d4d"
        "dba599541ff2b1c19d34ea49aeafb9659adb7ac3c0b078bb30a22d57fc6687ef");
  CHECK(hex_encode(Sha512::digest(pattern(112))) ==
        "d0865c524d1dddf7c23b799c413f5adcd7caefd3f66a9b49750ec81066012c25"
        "a8bcf94ddea6dc525691673097ca40e0101e897fc97218cfdb0704084e2bef4b");
  CHECK(hex_encode(Sha512::digest(pattern(128))) ==
        "99b16f17aa0b969a5b8f08f367719d516e330ccd2660b6f0688ec031dbc783de"
        "50a1cd185a2568dba75070a2403d17d4741d163578515dfd2ff756ddfe4d47b1");
  CHECK(hex_encode(Sha512::digest(pattern(129))) ==
        "a1556e29185778aa5991e34b8884c840d589f0fbb4b8ed590e51e9ac4eb03a00"
        "8125000db2671f8fe7f485b59a77b518670078ecb41a54b4cd02a7f1d2ca4c6d");
}

TEST_CASE("hashing in pieces equals hashing at once", "[crypto][signature]") {
  const std::string message = pattern(1000);
  for (std::size_t split : {0u, 1u, 55u, 64u, 127u, 128u, 999u, 1000u}) {
    const std::string_view all(message);
    Sha256 sha256;
    sha256.update(all.substr(0, split)).update(all.substr(split));
    CHECK(sha256.finish() == Sha256::digest(message));
    Sha512 sha512;
    sha512.update(all.substr(0, split)).update(all.substr(split));
    CHECK(sha512.finish() == Sha512::digest(message));
  }
  Sha1 bytewise;
  for (char c : message) bytewise.update(std::string_view(&c, 1));
  CHECK(bytewise.finish() == Sha1::digest(message));
}

TEST_CASE("SHA-256's portable and SHA-NI compression functions give the same state", "[crypto][signature]") {
  namespace blocks = phone_handoff::crypto::sha256_blocks;
  const uint32_t initial[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
                               0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};
  // "abc" padded by hand to one block: the portable function alone gives FIPS 180's digest (the
  // digests above go through whichever function this CPU uses).
  unsigned char abc[64] = {'a', 'b', 'c', 0x80};
  abc[63] = 24;  // the length in bits
  uint32_t state[8];
  std::copy(initial, initial + 8, state);
  blocks::portable(state, abc, 1);
  const uint32_t fips_abc[8] = {0xba7816bf, 0x8f01cfea, 0x414140de, 0x5dae2223,
                                0xb00361a3, 0x96177a9c, 0xb410ff61, 0xf20015ad};
  CHECK(std::equal(state, state + 8, fips_abc));

  const blocks::Compress accelerated = blocks::accelerated();
  if (!accelerated) {
    WARN("no SHA extensions in this build or on this CPU: only the portable function is checked");
    return;
  }
  // Many states and block counts, so every lane of the SHA-NI registers and the carry between
  // blocks is exercised; the data is a pseudo-random byte stream (xorshift).
  uint64_t seed = 0x9e3779b97f4a7c15ULL;
  auto next = [&seed] { seed ^= seed << 13, seed ^= seed >> 7, seed ^= seed << 17; return seed; };
  std::vector<unsigned char> data(64 * 9);
  for (int trial = 0; trial < 200; ++trial) {
    for (unsigned char& byte : data) byte = (unsigned char)next();
    uint32_t a[8], b[8];
    for (int i = 0; i < 8; ++i) a[i] = b[i] = trial == 0 ? initial[i] : (uint32_t)next();
    const std::size_t count = 1 + trial % 9;
    blocks::portable(a, data.data(), count);
    accelerated(b, data.data(), count);
    INFO("trial " << trial << ", " << count << " blocks");
    REQUIRE(std::equal(a, a + 8, b));
  }
}

TEST_CASE("HMAC-SHA256 and HMAC-SHA512 match RFC 4231", "[crypto][signature]") {
  struct Case {
    std::string key, data, sha256, sha512;
  };
  const std::string long_key(131, '\xaa');
  const Case cases[] = {
      {std::string(20, '\x0b'), "Hi There",
       "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7",
       "87aa7cdea5ef619d4ff0b4241a1d6cb02379f4e2ce4ec2787ad0b30545e17cde"
       "daa833b7d6b8a702038b274eaea3f4e4be9d914eeb61f1702e696c203a126854"},
      {"Jefe", "what do ya want for nothing?",
       "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843",
       "164b7a7bfcf819e2e395fbe73b56e0a387bd64222e831fd610270cd7ea250554"
       "9758bf75c05a994a6d034f65f8f0e6fdcaeab1a34d4a6b4b636e070a38bce737"},
      {std::string(20, '\xaa'), std::string(50, '\xdd'),
       "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe",
       "fa73b0089d56a284efb0f0756c890be9b1b5dbdd8ee81a3655f83e33b2279d39"
       "bf3e848279a722c806b485a47e67c807b946a337bee8942674278859e13292fb"},
      {unhex("0102030405060708090a0b0c0d0e0f10111213141516171819"), std::string(50, '\xcd'),
       "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b",
       "b0ba465637458c6990e5a8c5f61d4af7e576d97ff94b872de76f8050361ee3db"
       "a91ca5c11aa25eb4d679275cc5788063a5f19741120c4f2de2adebeb10a298dd"},
      {long_key, "Test Using Larger Than Block-Size Key - Hash Key First",
       "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54",
       "80b24263c7c1a3ebb71493c1dd7be8b49b46d1f41b4aeec1121b013783f8f352"
       "6b56d037e05f2598bd0fd2215d6a1e5295e64f73f63f0aec8b915a985d786598"},
      {long_key,
       "This is a test using a larger than block-size key and a larger than block-size data. "
       "The key needs to be hashed before being used by the HMAC algorithm.",
       "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2",
       "e37b6a775dc87dbaa4dfa9f96e5e3ffddebd71f8867289865df5a32d20cdc944"
       "b6022cac3c4982b10d5eeb55c3e4de15134676fb6de0446065c97440fa8c6a58"},
  };
  for (const Case& c : cases) {
    CHECK(hex_encode(hmac(HashAlgorithm::sha256, c.key, {c.data})) == c.sha256);
    CHECK(hex_encode(hmac(HashAlgorithm::sha512, c.key, {c.data})) == c.sha512);
  }
  // Test case 5 is published truncated to 128 bits.
  CHECK(hex_encode(hmac(HashAlgorithm::sha256, std::string(20, '\x0c'), {"Test With Truncation"}))
            .substr(0, 32) == "a3b6167473100ee06e0c796c2955552b");
}

TEST_CASE("HMAC-SHA1 matches RFC 2202", "[crypto][signature]") {
  CHECK(hex_encode(hmac(HashAlgorithm::sha1, std::string(20, '\x0b'), {"Hi There"})) ==
        "b617318655057264e28bc0b6fb378c8ef146be00");
  CHECK(hex_encode(hmac(HashAlgorithm::sha1, "Jefe", {"what do ya want for nothing?"})) ==
        "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79");
  CHECK(hex_encode(hmac(HashAlgorithm::sha1, std::string(80, '\xaa'),
                        {"Test Using Larger Than Block-Size Key - Hash Key First"})) ==
        "aa4ae5e15272d00e95705637ce8a3b55ed402112");
}

TEST_CASE("HMAC of message parts equals HMAC of their concatenation", "[crypto][signature]") {
  CHECK(hmac(HashAlgorithm::sha256, "key", {"1700000000", ".", "{\"a\":1}"}) ==
        hmac(HashAlgorithm::sha256, "key", {"1700000000.{\"a\":1}"}));
  CHECK(digest_size(HashAlgorithm::sha1) == 20);
  CHECK(digest_size(HashAlgorithm::sha256) == 32);
  CHECK(digest_size(HashAlgorithm::sha512) == 64);
}

TEST_CASE("base64 matches RFC 4648 and rejects anything non-canonical", "[crypto][signature]") {
  const std::pair<std::string, std::string> vectors[] = {
      {"", ""},         {"f", "Zg=="},         {"fo", "Zm8="},        {"foo", "Zm9v"},
      {"foob", "Zm9vYg=="}, {"fooba", "Zm9vYmE="}, {"foobar", "Zm9vYmFy"}};
  for (const auto& [plain, encoded] : vectors) {
    CHECK(base64_encode(plain) == encoded);
    CHECK(base64_decode(encoded) == plain);
  }
  CHECK(base64_decode("Zg") == std::string("f"));  // padding may be left off
  CHECK(base64_decode("Zm8") == std::string("fo"));
  CHECK(base64_encode("\xff\xfe\xfd") == "//79");
  CHECK(base64_decode("//79") == std::string("\xff\xfe\xfd"));
  CHECK_FALSE(base64_decode("Zg="));      // wrong amount of padding
  CHECK_FALSE(base64_decode("Zg==="));
  CHECK_FALSE(base64_decode("Z"));        // 6 bits are not a byte
  CHECK_FALSE(base64_decode("Zh=="));     // non-zero unused bits
  CHECK_FALSE(base64_decode("Zm9v YmFy"));  // whitespace
  CHECK_FALSE(base64_decode("__8-"));     // URL-safe alphabet
  CHECK_FALSE(base64_decode("===="));
  CHECK_FALSE(base64_decode("Zm=v"));
}

TEST_CASE("hex round-trips and rejects odd lengths and non-digits", "[crypto][signature]") {
  CHECK(hex_encode("foobar") == "666f6f626172");  // RFC 4648 §10
  CHECK(hex_encode(std::string("\x00\xff", 2)) == "00ff");
  CHECK(hex_decode("666F6F626172") == std::string("foobar"));
  CHECK(hex_decode("") == std::string());
  CHECK_FALSE(hex_decode("abc"));
  CHECK_FALSE(hex_decode("zz"));
  CHECK_FALSE(hex_decode("0x12"));
}

TEST_CASE("constant_time_equal compares contents and lengths", "[crypto][signature]") {
  CHECK(constant_time_equal("", ""));
  CHECK(constant_time_equal("abc", "abc"));
  CHECK_FALSE(constant_time_equal("abc", "abd"));
  CHECK_FALSE(constant_time_equal("abc", "xbc"));
  CHECK_FALSE(constant_time_equal("abc", "abcd"));
  CHECK_FALSE(constant_time_equal(std::string_view("a\0b", 3), std::string_view("a\0c", 3)));
}
