// A small, strict JSON reader (RFC 8259) for the webhook path: one pass over the text builds a
// compact read-only document. nlohmann::json builds a std::map node, a std::string per key and
// value and a malloc for each; on a 100 KB webhook that was most of the cost of `parse`
// (docs/performance.md). Here every value is one 32-byte node in a single vector, in document
// order, and strings without escapes are views into the text itself.
//
// It accepts exactly what the previous path accepted (nlohmann::json::parse after the UTF-8 and
// depth pre-scan of decode_json), and reads the same values: the same integer / unsigned / float
// distinction, the same strtod for floats, a later duplicate key replacing an earlier one, and
// object members listed in nlohmann's (sorted) key order where the order matters
// (sorted_members). It does not explain rejections: decode_document (ingest.hpp) asks the
// previous path for the message, so error texts stay what they were.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace phone_handoff::json_reader {

enum class Kind : uint8_t { null, boolean, integer, unsigned_integer, floating, string, array, object };

// One value of a Document. Values are only ever seen by reference or pointer into their
// document; a container's elements follow it directly, so walking needs no document pointer.
class Value {
 public:
  Kind kind() const { return kind_; }
  bool is_null() const { return kind_ == Kind::null; }
  bool is_boolean() const { return kind_ == Kind::boolean; }
  bool is_number() const { return kind_ == Kind::integer || kind_ == Kind::unsigned_integer || kind_ == Kind::floating; }
  bool is_string() const { return kind_ == Kind::string; }
  bool is_array() const { return kind_ == Kind::array; }
  bool is_object() const { return kind_ == Kind::object; }

  bool boolean() const { return scalar_.boolean; }
  int64_t integer() const { return scalar_.integer; }              // Kind::integer (negative numbers, and -0)
  uint64_t unsigned_integer() const { return scalar_.unsigned_integer; }  // Kind::unsigned_integer
  double floating() const { return scalar_.floating; }             // Kind::floating
  // Any number as a double, converted the way nlohmann's get<double>() converts it.
  double number() const;
  std::string_view string() const { return {scalar_.text, size_}; }

  // Elements of an array, or members of an object as written (duplicates included).
  size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  // The name of this value when it is an object member.
  std::string_view key() const { return {key_, key_size_}; }

  // The member named `key` (the last one when the name repeats, as nlohmann keeps it), or nullptr.
  const Value* find(std::string_view key) const;

  // Elements of an array / members of an object in document order: `for (const Value& v : a)`.
  class Iterator {
   public:
    explicit Iterator(const Value* at) : at_(at) {}
    const Value& operator*() const { return *at_; }
    const Value* operator->() const { return at_; }
    Iterator& operator++() {
      at_ += at_->span_;
      return *this;
    }
    bool operator!=(const Iterator& other) const { return at_ != other.at_; }
    bool operator==(const Iterator& other) const { return at_ == other.at_; }

   private:
    const Value* at_;
  };
  Iterator begin() const { return Iterator(is_container() ? this + 1 : this + span_); }
  Iterator end() const { return Iterator(this + span_); }

  // An object's members as nlohmann::json iterates them: sorted by key (byte order), one per
  // key, the last of duplicates.
  std::vector<const Value*> sorted_members() const;

  // The same value as nlohmann::json would have parsed it (for custom fields and messages that
  // quote a value: nlohmann's dump() writes it exactly as before).
  nlohmann::json to_nlohmann() const;

  // RFC 6901 pointer of `descendant` relative to this value ("" for itself); `descendant` must
  // lie inside this value. Linear in the values before it: meant for error messages.
  std::string pointer_to(const Value* descendant) const;

 private:
  friend class Document;
  friend class Parser;
  friend class Builder;
  bool is_container() const { return kind_ == Kind::array || kind_ == Kind::object; }

  const char* key_ = nullptr;
  uint32_t key_size_ = 0;
  Kind kind_ = Kind::null;
  union Scalar {
    bool boolean;
    int64_t integer;
    uint64_t unsigned_integer;
    double floating;
    const char* text;
  } scalar_{};
  uint32_t size_ = 0;  // string bytes, array elements, object members
  uint32_t span_ = 1;  // values in this subtree, itself included
};

// A parsed document. Strings without escapes point into the parsed text, which must outlive it.
class Document {
 public:
  Document() = default;
  Document(Document&&) = default;
  Document& operator=(Document&&) = default;
  Document(const Document&) = delete;  // values point into this document's own storage
  Document& operator=(const Document&) = delete;

  // Reads `text`: true when it is one JSON value (optionally after a UTF-8 byte order mark,
  // surrounded by whitespace) with valid UTF-8 in its strings, numbers within double's range and
  // objects and arrays nested at most `max_depth` deep. False otherwise, with no explanation.
  // As nlohmann, a NUL byte after the value ends the input: what follows it is not JSON, but
  // it must pass scan_text as decode_json's pre-scan demands.
  bool parse(std::string_view text, int max_depth);

  // The same document built from an nlohmann value (strings copied; nothing points into `value`).
  static Document from(const nlohmann::json& value);

  const Value& root() const { return values_.front(); }

 private:
  friend class Parser;
  friend class Builder;
  std::vector<Value> values_;
  // Strings that needed unescaping (or copying, for from()): one block sized for all of them up
  // front, so it never moves and views into it stay valid.
  std::unique_ptr<char[]> decoded_;
  size_t decoded_size_ = 0;
};

// The checks decode_json makes before nlohmann reads a text: where the text first stops being
// valid UTF-8, or where a '{' or '[' outside strings first nests deeper than `max_depth`.
// Strings are told apart by quotes and backslashes alone, whatever the JSON around them.
struct TextProblem {
  enum class Kind { none, invalid_utf8, too_deep };
  Kind kind = Kind::none;
  size_t offset = 0;  // of the first byte of the bad sequence, or of the bracket
};
TextProblem scan_text(std::string_view text, int max_depth);

// Length of the UTF-8 sequence starting at text[i], or 0 when it is not well-formed (overlong
// forms, surrogates and code points past U+10FFFF included, per RFC 3629).
size_t utf8_sequence_length(std::string_view text, size_t i);

}  // namespace phone_handoff::json_reader
