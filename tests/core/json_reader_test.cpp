// The webhook path's JSON reader (core/src/json/reader.hpp) against nlohmann::json, which it
// replaced there: the same texts accepted, the same values read, the same messages for rejected
// texts (through decode_document), on hand-picked edge cases and on every fixture file.
#include <cmath>
#include <filesystem>
#include <string>
#include <vector>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "ingest.hpp"
#include "json/reader.hpp"
#include "json_reader_compare.hpp"
#include "test_support.hpp"

using namespace phone_handoff;
using json_reader::Document;
using json_reader::Kind;
using json_reader::Value;
using test_support::file_text;

namespace {

ParseOptions with_depth(int max_depth) {
  ParseOptions options;
  options.max_depth = max_depth;
  return options;
}

// The one error message of a rejected text, through the old path and through the new one.
struct Verdicts {
  bool old_accepts, new_accepts;
  std::string old_message, new_message;
  std::string difference;  // of the values, when both accept
};

Verdicts both_ways(std::string_view text, const ParseOptions& options = {}) {
  Verdicts v;
  nlohmann::json old_doc;
  Errors old_errors, new_errors;
  Document new_doc;
  v.old_accepts = decode_json(text, options, "body", old_doc, old_errors);
  v.new_accepts = decode_document(text, options, "body", new_doc, new_errors);
  if (!old_errors.empty()) v.old_message = old_errors.front().message;
  if (!new_errors.empty()) v.new_message = new_errors.front().message;
  if (v.old_accepts && v.new_accepts) v.difference = json_reader_compare::difference(new_doc.root(), old_doc);
  return v;
}

void check_same(std::string_view text, const ParseOptions& options = {}) {
  INFO("text: " << std::string(text.substr(0, 200)));
  const Verdicts v = both_ways(text, options);
  CHECK(v.new_accepts == v.old_accepts);
  CHECK(v.new_message == v.old_message);
  CHECK(v.difference.empty());
  CAPTURE(v.difference);
}

Document read(std::string_view text, int max_depth = 64) {
  Document doc;
  REQUIRE(doc.parse(text, max_depth));
  return doc;
}

bool accepts(std::string_view text, int max_depth = 64) {
  Document doc;
  return doc.parse(text, max_depth);
}

}  // namespace

TEST_CASE("json_reader: strings are views when plain, decoded when escaped", "[json_reader]") {
  const std::string text = R"(["plain", "tab\tquote\"slash\/back\\", "\u00e9\u20AC", "\ud83d\ude00", "\u0000x", "é€😀", ""])";
  const Document doc = read(text);
  std::vector<std::string_view> strings;
  for (const Value& v : doc.root()) strings.push_back(v.string());
  REQUIRE(strings.size() == 7);
  CHECK(strings[0] == "plain");
  CHECK(strings[0].data() == text.data() + 2);  // no copy
  CHECK(strings[1] == "tab\tquote\"slash/back\\");
  CHECK(strings[2] == "\xC3\xA9\xE2\x82\xAC");
  CHECK(strings[3] == "\xF0\x9F\x98\x80");  // a surrogate pair is one code point
  CHECK(strings[4] == std::string_view("\0x", 2));
  CHECK(strings[5] == "é€😀");
  CHECK(strings[6].empty());
  check_same(text);
}

TEST_CASE("json_reader: what nlohmann rejects in strings is rejected", "[json_reader]") {
  for (const char* text : {
           R"(["\ud800"])", R"(["\ud800x"])", R"(["\ud800\u0041"])", R"(["\udc00"])", R"(["\ud83d\ud83d"])",
           R"(["\x"])", R"(["\u12"])", R"(["\u12g4"])", R"(["abc)", "[\"a\x01\"]", "[\"a\n\"]",
           "[\"\xC0\xAF\"]", "[\"\xED\xA0\x80\"]", "[\"\xF4\x90\x80\x80\"]", "[\"\xE2\x82\"]", "[\"\x80\"]",
           R"({"a\ud800":1})", "{\"\x01\":1}"}) {
    INFO(text);
    CHECK_FALSE(accepts(text));
    check_same(text);
  }
}

TEST_CASE("json_reader: numbers keep nlohmann's integer, unsigned and float kinds", "[json_reader]") {
  const std::string text =
      "[0, -0, 2, 2.0, 1e3, 1E+2, 25e-1, -0.0, 0.1, 9223372036854775807, 9223372036854775808, "
      "-9223372036854775808, -9223372036854775809, 18446744073709551615, 18446744073709551616, "
      "123456789012345678901234567890, 1e-400, 4.9e-324, 1.7976931348623157e308, 0.30000000000000004, "
      "1234567890.123456789, 9007199254740993, 9007199254740993.0, 1e22, 1e23, -12.5e-3]";
  const Document doc = read(text);
  std::vector<const Value*> n;
  for (const Value& v : doc.root()) n.push_back(&v);
  REQUIRE(n.size() == 26);
  CHECK(n[0]->kind() == Kind::unsigned_integer);
  CHECK(n[1]->kind() == Kind::integer);  // "-0" is the integer 0, as strtoll reads it
  CHECK(n[1]->integer() == 0);
  CHECK(n[2]->kind() == Kind::unsigned_integer);
  CHECK(n[3]->kind() == Kind::floating);  // 2.0 stays a float: custom fields write it back as 2.0
  CHECK(n[3]->to_nlohmann().dump() == "2.0");
  CHECK(n[4]->kind() == Kind::floating);
  CHECK(n[4]->floating() == 1000.0);
  CHECK(n[5]->floating() == 100.0);
  CHECK(n[6]->floating() == 2.5);
  CHECK(n[7]->kind() == Kind::floating);
  CHECK(std::signbit(n[7]->floating()));
  CHECK(n[9]->kind() == Kind::unsigned_integer);
  CHECK(n[10]->kind() == Kind::unsigned_integer);
  CHECK(n[11]->kind() == Kind::integer);
  CHECK(n[11]->integer() == INT64_MIN);
  CHECK(n[12]->kind() == Kind::floating);  // below int64: strtoll overflows, strtod reads it
  CHECK(n[13]->unsigned_integer() == UINT64_MAX);
  CHECK(n[14]->kind() == Kind::floating);
  CHECK(n[15]->kind() == Kind::floating);
  CHECK(n[21]->unsigned_integer() == 9007199254740993ULL);
  CHECK(n[22]->floating() == 9007199254740992.0);  // rounded like strtod
  check_same(text);
  for (const char* too_large : {"1e999", "-1e309", "[1e400]", "1797693134862315907729305190789024733617976978942306572734300811577326758055009631327084773224075360211201138798713933576587897688144166224928474306394741243777678934248654852763022196012460941194530829520850057688381506823424628814739131105408272371633505106845862982399472459384797163048353563296242241372160"}) {
    INFO(too_large);
    CHECK_FALSE(accepts(too_large));
    CHECK(both_ways(too_large).new_message == "body has a number too large to represent");
  }
  for (const char* invalid : {"01", "-", "-a", "1.", ".5", "1e", "1e+", "+1", "0x10", "1.5.2", "NaN", "-Infinity", "1 2"}) {
    INFO(invalid);
    CHECK_FALSE(accepts(invalid));
    check_same(invalid);
  }
}

TEST_CASE("json_reader: a repeated key keeps its last value, members list in nlohmann's order", "[json_reader]") {
  const std::string text = R"({"b": 1, "a": {"x": 1}, "b": 2, "B": 0, "a": "last", "": null})";
  const Document doc = read(text);
  CHECK(doc.root().size() == 6);  // as written
  REQUIRE(doc.root().find("b") != nullptr);
  CHECK(doc.root().find("b")->unsigned_integer() == 2);
  CHECK(doc.root().find("a")->string() == "last");
  CHECK(doc.root().find("c") == nullptr);
  std::vector<std::string_view> keys;
  for (const Value* member : doc.root().sorted_members()) keys.push_back(member->key());
  CHECK(keys == std::vector<std::string_view>{"", "B", "a", "b"});
  CHECK(doc.root().to_nlohmann() == nlohmann::json::parse(text));
  check_same(text);
}

TEST_CASE("json_reader: nesting depth is limited as decode_json limits it", "[json_reader]") {
  CHECK(accepts("[[[1]]]", 3));
  CHECK_FALSE(accepts("[[[[1]]]]", 3));
  CHECK(accepts(R"({"a":[{"b":"[[[[[["}]})", 3));  // brackets inside strings do not nest
  CHECK_FALSE(accepts(R"({"a":[{"b":{}}]})", 3));
  check_same("[[[[1]]]]", with_depth(3));
  check_same(R"({"a":[{"b":"[[[[[["}]})", with_depth(3));
  check_same(std::string(2000, '[') + std::string(2000, ']'), with_depth(1000));
}

TEST_CASE("json_reader: invalid text gets decode_json's message", "[json_reader]") {
  for (const char* text : {
           "", "   ", "\xEF\xBB\xBF{}", "\xEF\xBB{}", "\xEF\xBB\xBF", "{", "}", "[1,]", "[,1]", "{\"a\"}", "{\"a\":}",
           "{\"a\":1,}", "{a:1}", "{\"a\" 1}", "[1 2]", "{\"a\":1} x", "tru", "truex", "nul", "[true false]",
           "{\"a\":tru\xE2\x82\xAC}", "[\"a\"]\xFF", "\"abc\"", "42", " null ", "[]", "{}", "[{}]", "/* c */ 1",
           "[1]\n\n", "\t{\r\n}", "{\"a\":\"b\"\x80}", "[\"\xE2\x82\xAC\"", "\"\\u00\""}) {
    check_same(text);
  }
  // nlohmann takes a NUL byte between tokens for the end of its input; the pre-scan still
  // covers the bytes after it.
  using namespace std::string_literals;
  for (const std::string& text : {"{\"a\":1}\0 garbage ]]"s, "1\0"s, "\"x\" \0\0"s, "[1\0]"s, "\0"s, "1\0\xFF"s,
                                 "1\0[[[[[[[[[["s, "1\0\"[[[[[[[[[[\""s, "tru\0e"s, "[\"a\0\"]"s}) {
    check_same(text, with_depth(8));
  }
  CHECK(accepts("{\"a\":1}\0 garbage ]]"s));
  CHECK_FALSE(accepts("1\0[[[[[[[[[["s, 8));

  ParseOptions small;
  small.max_bytes = 4;
  check_same("[1,2,3]", small);
  CHECK(both_ways("[1,2,3]", small).new_message ==
        "body is 7 bytes, over the limit of 4 bytes (the maxBytes option sets the limit)");
  CHECK(both_ways("[\"\xFF\" 1]").new_message == "body is not valid UTF-8 at byte 2");
}

TEST_CASE("json_reader: pointers to values, and documents built from nlohmann values", "[json_reader]") {
  const std::string text = R"({"a/b": [0, {"c~d": [true, null]}], "e": 1})";
  const Document doc = read(text);
  const Value& root = doc.root();
  const Value* list = root.find("a/b");
  REQUIRE(list != nullptr);
  auto it = list->begin();
  ++it;
  const Value& inner = *it;
  const Value* deepest = inner.find("c~d");
  REQUIRE(deepest != nullptr);
  auto last = deepest->begin();
  ++last;
  CHECK(root.pointer_to(&root).empty());
  CHECK(root.pointer_to(list) == "/a~1b");
  CHECK(root.pointer_to(&*last) == "/a~1b/1/c~0d/1");
  CHECK(root.pointer_to(root.find("e")) == "/e");

  const nlohmann::json original = nlohmann::json::parse(text);
  const Document copy = Document::from(original);
  CHECK(json_reader_compare::difference(copy.root(), original).empty());
  CHECK(json_reader_compare::difference(root, original).empty());
}

TEST_CASE("json_reader: every fixture file reads as nlohmann reads it", "[json_reader]") {
  size_t files = 0;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(PH_FIXTURES_DIR)) {
    if (!entry.is_regular_file()) continue;
    const std::string text = file_text(entry.path());
    INFO(entry.path().string());
    check_same(text);
    // Every prefix of a fixture is an invalid document: the same rejection either way.
    if (text.size() < 4096)
      for (size_t cut = 0; cut < text.size(); cut += 7) check_same(std::string_view(text).substr(0, cut));
    ++files;
  }
  CHECK(files >= 40);
}
