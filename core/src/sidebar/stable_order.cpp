#include "sidebar/stable_order.hpp"

#include <numeric>

namespace phone_handoff::sidebar {

std::vector<size_t> stable_order(const std::vector<int64_t>& keys) {
  std::vector<size_t> order(keys.size());
  std::iota(order.begin(), order.end(), size_t{0});
  std::stable_sort(order.begin(), order.end(), [&keys](size_t a, size_t b) { return keys[a] < keys[b]; });
  return order;
}

}  // namespace phone_handoff::sidebar
