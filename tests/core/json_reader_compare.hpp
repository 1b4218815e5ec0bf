// Strict comparison of a json_reader value with the nlohmann value of the same text, shared by
// tests/core/json_reader_test.cpp and tests/fuzz/fuzz_json_reader.cpp. Stricter than nlohmann's
// operator== (which calls 1 and 1.0 equal, and 0.0 and -0.0): the number kind, the bits of every
// double, the member order nlohmann iterates in, and find() on every key must all agree.
#pragma once

#include <cstring>
#include <string>

#include <nlohmann/json.hpp>

#include "json/reader.hpp"

namespace json_reader_compare {

using phone_handoff::json_reader::Kind;
using phone_handoff::json_reader::Value;

inline const char* kind_name(Kind kind) {
  switch (kind) {
    case Kind::null: return "null";
    case Kind::boolean: return "boolean";
    case Kind::integer: return "number_integer";
    case Kind::unsigned_integer: return "number_unsigned";
    case Kind::floating: return "number_float";
    case Kind::string: return "string";
    case Kind::array: return "array";
    case Kind::object: return "object";
  }
  return "?";
}

inline Kind nlohmann_kind(const nlohmann::json& j) {
  switch (j.type()) {
    case nlohmann::json::value_t::boolean: return Kind::boolean;
    case nlohmann::json::value_t::number_integer: return Kind::integer;
    case nlohmann::json::value_t::number_unsigned: return Kind::unsigned_integer;
    case nlohmann::json::value_t::number_float: return Kind::floating;
    case nlohmann::json::value_t::string: return Kind::string;
    case nlohmann::json::value_t::array: return Kind::array;
    case nlohmann::json::value_t::object: return Kind::object;
    default: return Kind::null;
  }
}

// "" when equal, else where and how they first differ.
inline std::string difference(const Value& ours, const nlohmann::json& theirs, const std::string& at = "") {
  const Kind expected = nlohmann_kind(theirs);
  if (ours.kind() != expected)
    return at + ": " + kind_name(ours.kind()) + " instead of " + kind_name(expected);
  switch (expected) {
    case Kind::null: return "";
    case Kind::boolean: return ours.boolean() == theirs.get<bool>() ? "" : at + ": other boolean";
    case Kind::integer: return ours.integer() == theirs.get<int64_t>() ? "" : at + ": other integer";
    case Kind::unsigned_integer:
      return ours.unsigned_integer() == theirs.get<uint64_t>() ? "" : at + ": other unsigned integer";
    case Kind::floating: {
      const double a = ours.floating(), b = theirs.get<double>();
      return std::memcmp(&a, &b, sizeof a) == 0 ? "" : at + ": other double bits";
    }
    case Kind::string:
      return ours.string() == theirs.get_ref<const std::string&>() ? "" : at + ": other string";
    case Kind::array: {
      if (ours.size() != theirs.size()) return at + ": other array size";
      size_t i = 0;
      for (const Value& element : ours) {
        std::string d = difference(element, theirs[i], at + "/" + std::to_string(i));
        if (!d.empty()) return d;
        ++i;
      }
      return "";
    }
    case Kind::object: {
      const auto members = ours.sorted_members();
      if (members.size() != theirs.size()) return at + ": other number of distinct keys";
      size_t i = 0;
      for (auto it = theirs.begin(); it != theirs.end(); ++it, ++i) {
        if (members[i]->key() != it.key()) return at + ": member order differs at key " + it.key();
        if (ours.find(it.key()) != members[i]) return at + ": find(\"" + it.key() + "\") is not the member listed";
        std::string d = difference(*members[i], it.value(), at + "/" + it.key());
        if (!d.empty()) return d;
      }
      return "";
    }
  }
  return "";
}

}  // namespace json_reader_compare
