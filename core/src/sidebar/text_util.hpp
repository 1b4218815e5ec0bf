// Small string helpers the sidebar readers share (ASCII-only case folding: labels are English).
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace phone_handoff::sidebar {

std::vector<std::string_view> split(std::string_view text, char separator);
std::string trim(std::string_view text);
std::string to_lower(std::string_view text);
bool starts_with(std::string_view text, std::string_view prefix);
// Only http(s) URLs become links in the sidebar; anything else (javascript:, data:, …) is dropped.
bool is_http_url(std::string_view text);

}  // namespace phone_handoff::sidebar
