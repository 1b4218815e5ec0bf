// Catch2's main, compiled here: Debian's libCatch2WithMain.a is a host library the wasm build
// cannot link.
#define CATCH_CONFIG_MAIN
// GCC 12 with -fsanitize=address at -O1 and above warns -Wmaybe-uninitialized inside libstdc++'s
// std::regex (a std::function moved in _NFA::_M_insert_*), which Catch2's main instantiates: a
// compiler false positive in library code (GCC bug 105616; Catch2 issue 2423), nothing of ours to
// change. Off in this file only, which holds nothing but Catch2: our own code still warns.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif
#include <catch2/catch.hpp>
