// JsonWriter writes what nlohmann's compact dump(-1, ' ', false, replace) writes for the same
// values: the core's results moved from "build a DOM, dump it" to the writer, and their bytes
// must not change (goldens, native vs wasm).
#include <catch2/catch.hpp>

#include <cmath>
#include <cstdint>
#include <limits>
#include <random>
#include <string>

#include <nlohmann/json.hpp>

#include "json/writer.hpp"
#include "test_support.hpp"

using nlohmann::json;
using nlohmann::ordered_json;
using phone_handoff::JsonWriter;
using test_support::dumped;

namespace {

std::string written(const std::string& text) { return JsonWriter().value(text).take(); }

}  // namespace

TEST_CASE("json writer: every control character is escaped like nlohmann", "[json_writer]") {
  for (int c = 0; c < 0x80; ++c) {
    // Short, and at every position of an 8-byte word (plain ASCII is skipped a word at a time).
    const std::string text = "a" + std::string(1, static_cast<char>(c)) + "b";
    INFO("character " << c);
    CHECK(written(text) == dumped(text));
    for (size_t at = 0; at < 17; ++at) {
      std::string long_text(24, 'x');
      long_text[at] = static_cast<char>(c);
      CHECK(written(long_text) == dumped(long_text));
    }
  }
  CHECK(written("\b\t\n\f\r\"\\") == R"("\b\t\n\f\r\"\\")");
  CHECK(written(std::string("\x01\x1f", 2)) == R"("\u0001\u001f")");
  CHECK(written("\x7f") == "\"\x7f\"");  // DEL is not escaped (ensure_ascii is off)
  CHECK(written(std::string(1, '\0')) == R"("\u0000")");
}

TEST_CASE("json writer: valid UTF-8 is copied as it is", "[json_writer]") {
  for (const std::string text : {"é", "€ 12", "😀 smile", "日本語", "\xEF\xBF\xBD", "\xF4\x8F\xBF\xBF", "\xED\x9F\xBF"}) {
    INFO(text);
    CHECK(written(text) == dumped(text));
    CHECK(written(text) == "\"" + text + "\"");
  }
}

TEST_CASE("json writer: invalid UTF-8 becomes U+FFFD exactly where nlohmann's replace puts it", "[json_writer]") {
  const std::string cases[] = {
      "\x80",                  // lone continuation byte
      "ab\xE2\x82",            // cut short at the end
      "\xE2\x82z",             // cut short in the middle
      "\xC0\x80",              // overlong NUL
      "\xE0\x80\x80",          // overlong three-byte form
      "\xED\xA0\x80",          // UTF-16 surrogate
      "\xF4\x90\x80\x80",      // beyond U+10FFFF
      "\xF5\x80",              // never a lead byte
      "\xFF\"\n\xC3\xA9",      // invalid, then escapes and valid text
      "ok\xC3",                // lead byte at the very end
      "\xF0\x9F\x98",          // emoji missing its last byte
  };
  for (const std::string& text : cases) {
    INFO("bytes of length " << text.size());
    CHECK(written(text) == dumped(text));
    CHECK(written(text).find("\xEF\xBF\xBD") != std::string::npos);
  }
}

TEST_CASE("json writer: random byte strings match nlohmann", "[json_writer]") {
  std::mt19937 random(20261124);
  // Biased toward the bytes that matter: ASCII, escapes, lead and continuation bytes.
  const unsigned char alphabet[] = {'a', ' ', '"', '\\', '\n', 0x01, 0x7F, 0x80, 0xBF, 0xC2, 0xC3, 0xE0,
                                    0xE2, 0xED, 0xEF, 0xF0, 0xF4, 0xF5, 0xA0, 0x9F, 0x90, 0x8F};
  for (int round = 0; round < 3000; ++round) {
    std::string text;
    const size_t length = random() % 40;
    for (size_t i = 0; i < length; ++i) text += static_cast<char>(alphabet[random() % sizeof alphabet]);
    INFO("round " << round);
    REQUIRE(written(text) == dumped(text));
  }
}

TEST_CASE("json writer: numbers are formatted like nlohmann", "[json_writer]") {
  for (int64_t n : {int64_t{0}, int64_t{-1}, int64_t{42}, std::numeric_limits<int64_t>::min(),
                    std::numeric_limits<int64_t>::max()})
    CHECK(JsonWriter().value(n).take() == dumped(n));
  CHECK(JsonWriter().value(std::numeric_limits<uint64_t>::max()).take() == dumped(std::numeric_limits<uint64_t>::max()));
  CHECK(JsonWriter().value(size_t{4096}).take() == "4096");
  CHECK(JsonWriter().value(7).take() == "7");
  for (double d : {0.0, -0.0, 1.0, 0.1, 2.5, -3.75, 1e300, 1.5e-7, 123456789.125, 1e21, 1e-5})
    CHECK(JsonWriter().value(d).take() == dumped(d));
  CHECK(JsonWriter().value(std::nan("")).take() == "null");
  CHECK(JsonWriter().value(std::numeric_limits<double>::infinity()).take() == "null");
  CHECK(JsonWriter().value(true).take() == "true");
  CHECK(JsonWriter().null().take() == "null");
}

TEST_CASE("json writer: containers, members and DOM values", "[json_writer]") {
  JsonWriter out;
  out.begin_object()
      .member("a", 1)
      .key("list").begin_array().value("x").begin_object().end_object().begin_array().end_array().null().end_array()
      .member("flag", false)
      .key("raw").raw(R"({"k":[1,2]})")
      .member("empty", "")
      .end_object();
  CHECK(out.text() == R"({"a":1,"list":["x",{},[],null],"flag":false,"raw":{"k":[1,2]},"empty":""})");

  const ordered_json document = ordered_json::parse(
      R"({"z":1,"a":[true,null,-2,3.5,"t\u0001x",{"nested":{"b":[],"a":{}}}],"u":18446744073709551615})");
  CHECK(JsonWriter().value(document).take() == dumped(document));
  const json sorted = json::parse(document.dump());
  CHECK(JsonWriter().value(sorted).take() == sorted.dump());
  CHECK(JsonWriter().begin_array().value(document).value(document).end_array().take() ==
        "[" + dumped(document) + "," + dumped(document) + "]");
  // Keys are escaped like values.
  CHECK(JsonWriter().begin_object().member("k\"\n\xFF", 1).end_object().take() ==
        dumped(ordered_json{{"k\"\n\xFF", 1}}));
}
