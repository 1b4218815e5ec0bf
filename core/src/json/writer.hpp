// JSON text written straight into one growing string: the core's results are built with this
// instead of an nlohmann DOM that is dumped afterwards (building the tree and dumping it cost
// more than the work that produced the values). The output is byte for byte what nlohmann's
// compact dump(-1, ' ', false, error_handler_t::replace) gives for the same values: strings are
// escaped the same way (invalid UTF-8 shows as U+FFFD), numbers are formatted the same way.
//
//   JsonWriter out;
//   out.begin_object().member("done", false).key("requests").begin_array();
//   …
//   out.end_array().end_object();
//   return out.take();
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include <nlohmann/json.hpp>

namespace phone_handoff {

class JsonWriter {
 public:
  explicit JsonWriter(size_t reserve_bytes = 256) { text_.reserve(reserve_bytes); }

  JsonWriter& begin_object() { return open('{'); }
  JsonWriter& end_object() { return close('}'); }
  JsonWriter& begin_array() { return open('['); }
  JsonWriter& end_array() { return close(']'); }

  // The name of the next member of the open object; a value must follow.
  JsonWriter& key(std::string_view name);

  JsonWriter& value(std::string_view text);
  JsonWriter& value(const std::string& text) { return value(std::string_view(text)); }
  JsonWriter& value(const char* text) { return value(std::string_view(text)); }
  JsonWriter& value(bool flag);
  JsonWriter& value(double number);
  template <class Integer, std::enable_if_t<std::is_integral_v<Integer> && !std::is_same_v<Integer, bool>, int> = 0>
  JsonWriter& value(Integer number) {
    if constexpr (std::is_signed_v<Integer>) return integer(static_cast<int64_t>(number));
    else return integer(static_cast<uint64_t>(number));
  }
  JsonWriter& null();
  // A value held in a DOM (configuration values, progress captures): written as dump() would.
  JsonWriter& value(const nlohmann::ordered_json& dom);
  JsonWriter& value(const nlohmann::json& dom);
  // A complete JSON value already written as text (e.g. another JsonWriter's result).
  JsonWriter& raw(std::string_view json_text);

  template <class Value>
  JsonWriter& member(std::string_view name, const Value& v) { return key(name).value(v); }

  const std::string& text() const { return text_; }
  size_t size() const { return text_.size(); }
  std::string take() { return std::move(text_); }

 private:
  void before_value();
  JsonWriter& open(char bracket);
  JsonWriter& close(char bracket);
  template <class Integer>
  JsonWriter& integer(Integer number);  // int64_t or uint64_t
  template <class BasicJson>
  void dom(const BasicJson& value);

  std::string text_;
  std::vector<bool> empty_;  // per open container: nothing written into it yet
  bool after_key_ = false;
};

// The same calls building an nlohmann::ordered_json instead of text, so one function written
// against "a writer" serves both callers that need text (the operations) and callers that
// inspect the result (tests, merges): one field list, never two that could drift apart.
class DomWriter {
 public:
  DomWriter& begin_object() { return open(nlohmann::ordered_json::object()); }
  DomWriter& end_object() { return close(); }
  DomWriter& begin_array() { return open(nlohmann::ordered_json::array()); }
  DomWriter& end_array() { return close(); }
  DomWriter& key(std::string_view name) {
    key_ = name;
    return *this;
  }
  template <class Value>
  DomWriter& value(const Value& v) {
    place(nlohmann::ordered_json(v));
    return *this;
  }
  DomWriter& null() { return value(nullptr); }
  template <class Value>
  DomWriter& member(std::string_view name, const Value& v) { return key(name).value(v); }

  nlohmann::ordered_json take() { return std::move(root_); }

 private:
  nlohmann::ordered_json* place(nlohmann::ordered_json&& v) {
    if (open_.empty()) return &(root_ = std::move(v));
    nlohmann::ordered_json& parent = *open_.back();
    if (parent.is_array()) {
      parent.push_back(std::move(v));
      return &parent.back();
    }
    return &(parent[key_] = std::move(v));
  }
  DomWriter& open(nlohmann::ordered_json&& empty) {
    open_.push_back(place(std::move(empty)));
    return *this;
  }
  DomWriter& close() {
    open_.pop_back();
    return *this;
  }

  nlohmann::ordered_json root_;
  std::vector<nlohmann::ordered_json*> open_;  // the containers being filled, innermost last
  std::string key_;
};

// Appends `text` as a quoted JSON string (escaped as nlohmann's dump with the replace handler).
void append_json_string(std::string& out, std::string_view text);

// The compact JSON text of a string: what JsonWriter writes for it (size checks use this).
std::string json_string(std::string_view text);

}  // namespace phone_handoff
