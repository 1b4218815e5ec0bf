// The sidebar's three orderings (transcript parts by number, tool calls and turns by time) all
// sort by an integer key. They share this one stable sort of indices: each std::stable_sort
// instantiation is several KB of the browser's download.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

namespace phone_handoff::sidebar {

// Indices of `keys` in ascending key order, equal keys in their original order.
std::vector<size_t> stable_order(const std::vector<int64_t>& keys);

// Sorts `items` by key(item), keeping the order of equal keys, like std::stable_sort would.
template <class T, class Key>
void stable_sort_by(std::vector<T>& items, Key key) {
  std::vector<int64_t> keys;
  keys.reserve(items.size());
  for (const T& item : items) keys.push_back(key(item));
  if (std::is_sorted(keys.begin(), keys.end())) return;   // the usual case
  std::vector<T> sorted;
  sorted.reserve(items.size());
  for (size_t i : stable_order(keys)) sorted.push_back(std::move(items[i]));
  items = std::move(sorted);
}

}  // namespace phone_handoff::sidebar
