// The word-at-a-time fast paths of render/utf8.cpp agree with the plain definitions on any bytes:
// is_one_line(text) is exactly one_line(text) == text, text_units counts what a byte-by-byte
// walk counts, and one_line_units is both at once.
#include <catch2/catch.hpp>

#include <iterator>
#include <optional>
#include <random>
#include <string>

#include "render/utf8.hpp"

using namespace phone_handoff::render;

namespace {

// UTF-16 units, one code point (or stray byte) at a time.
size_t units_slowly(const std::string& text) {
  size_t units = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    const bool continuation = (c & 0xC0) == 0x80;
    if (!continuation) units += c >= 0xF0 && c <= 0xF4 ? 2 : 1;
  }
  return units;
}

}  // namespace

TEST_CASE("render fast paths: is_one_line and text_units on random text", "[render]") {
  std::mt19937 random(1124);
  const char alphabet[] = {'a', 'b', ' ', ' ', '\n', '\t', '\x1f', '\x7f', '\x20', '.'};
  for (int round = 0; round < 5000; ++round) {
    std::string text;
    const size_t length = random() % 40;
    for (size_t i = 0; i < length; ++i) text += alphabet[random() % sizeof alphabet];
    INFO("round " << round << ": [" << text << "]");
    REQUIRE(is_one_line(text) == (one_line(text) == text));
    REQUIRE(text_units(text) == units_slowly(text));
  }
  // Two spaces on either side of every 8-byte boundary, and far from the ends.
  for (size_t at = 1; at + 3 < 30; ++at) {
    std::string text(30, 'x');
    text[at] = text[at + 1] = ' ';
    CHECK_FALSE(is_one_line(text));
    text[at + 1] = 'y';
    CHECK(is_one_line(text));
  }
  CHECK(text_units("plain ascii text, longer than a word") == 36);
  CHECK(text_units("caf\xC3\xA9 \xF0\x9F\x98\x80 and more plain text") == 27);
}

TEST_CASE("render fast paths: one_line_units is is_one_line and text_units in one pass", "[render]") {
  std::mt19937 random(2611);
  // Pieces next to every kind of byte the eight-byte test treats apart: spaces, controls, DEL,
  // '!' (one above a space), multi-byte UTF-8 (2, 3, 4 bytes), stray continuation and lead
  // bytes, bytes that are never UTF-8.
  const std::string pieces[] = {"a", "Z", " ", " ", "  ", "!", "\n", "\t", "\x1f", "\x7f", "~", ".",
                                "\xC3\xA9", "\xE4\xB8\xAD", "\xF0\x9F\x98\x80", "\x80", "\xBF", "\xC3",
                                "\xF0\x9F", "\xFF", "\xED\xA0\x80", "plain words"};
  for (int round = 0; round < 20000; ++round) {
    std::string text;
    const size_t count = random() % 30;
    for (size_t i = 0; i < count; ++i) text += pieces[random() % std::size(pieces)];
    INFO("round " << round << ": [" << text << "]");
    const std::optional<size_t> both = one_line_units(text);
    REQUIRE(both.has_value() == is_one_line(text));
    if (both) REQUIRE(*both == text_units(text));
  }
  CHECK(one_line_units("") == std::optional<size_t>(0));
  CHECK(one_line_units("twelve bytes") == std::optional<size_t>(12));
  CHECK_FALSE(one_line_units("seven o  spaces across a word boundary"));
  CHECK_FALSE(one_line_units(" leading space"));
  CHECK_FALSE(one_line_units("caf\xC3\xA9 \x7f after UTF-8"));
}
