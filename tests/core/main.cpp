// Catch2's main, compiled here: Debian's libCatch2WithMain.a is a host library the wasm build
// cannot link.
#define CATCH_CONFIG_MAIN
#include <catch2/catch.hpp>
