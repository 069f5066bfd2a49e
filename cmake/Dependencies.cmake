# Every third-party dependency, each with the Debian package that provides it.
# scripts/install-deps installs them all; a missing one stops configure with its name.
find_package(PkgConfig QUIET)

macro(ioc_require found package what)
  if(NOT ${found})
    message(FATAL_ERROR
      "ioc-toolkit: ${what} not found. Install the Debian package '${package}' "
      "(or run scripts/install-deps as root).")
  endif()
endmacro()

if(NOT PKG_CONFIG_FOUND)
  message(FATAL_ERROR "ioc-toolkit: pkg-config not found. Install the Debian package 'pkg-config'.")
endif()

find_package(Boost 1.74 QUIET COMPONENTS program_options)
ioc_require(Boost_FOUND "libboost-program-options-dev libboost-dev" "Boost (program_options, headers)")

find_package(ICU QUIET COMPONENTS uc i18n)
ioc_require(ICU_FOUND libicu-dev "ICU")

pkg_check_modules(RE2 QUIET IMPORTED_TARGET re2)
ioc_require(RE2_FOUND libre2-dev "RE2")

# XML (Windows event records).
find_package(pugixml QUIET CONFIG)
ioc_require(pugixml_FOUND libpugixml-dev "pugixml")

# Public Suffix List (TLD check, registrable domains), built into libpsl.
pkg_check_modules(PSL QUIET IMPORTED_TARGET libpsl)
ioc_require(PSL_FOUND libpsl-dev "libpsl")

# YAML (Sigma rules).
find_package(yaml-cpp QUIET CONFIG)
ioc_require(yaml-cpp_FOUND libyaml-cpp-dev "yaml-cpp")

# EVTX files (libyal); libevtx.h includes libbfio.h, which libevtx-dev does not pull in.
pkg_check_modules(EVTX QUIET IMPORTED_TARGET libevtx)
ioc_require(EVTX_FOUND "libevtx-dev libbfio-dev" "libevtx")
pkg_check_modules(BFIO QUIET IMPORTED_TARGET libbfio)
ioc_require(BFIO_FOUND libbfio-dev "libbfio")

find_package(OpenSSL QUIET)
ioc_require(OPENSSL_FOUND libssl-dev "OpenSSL")

find_package(ZLIB QUIET)
ioc_require(ZLIB_FOUND zlib1g-dev "zlib")

find_package(nlohmann_json 3 QUIET)
ioc_require(nlohmann_json_FOUND nlohmann-json3-dev "nlohmann-json")

find_package(RapidJSON QUIET CONFIG)
ioc_require(RapidJSON_FOUND rapidjson-dev "RapidJSON")

# JSON process events (simdjson DOM).
find_package(simdjson QUIET CONFIG)
ioc_require(simdjson_FOUND libsimdjson-dev "simdjson")

if(IOC_BUILD_TESTS)
  find_package(Catch2 2 QUIET)
  ioc_require(Catch2_FOUND catch2 "Catch2 v2")
endif()
