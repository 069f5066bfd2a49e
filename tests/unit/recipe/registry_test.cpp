#include <catch2/catch.hpp>

#include <set>
#include <string>

#include <nlohmann/json.hpp>

#include "ioc/recipe/registry.hpp"

using namespace ioc::recipe;

TEST_CASE("operations: names are unique snake_case with summaries", "[recipe][registry]") {
  std::set<std::string_view> names, cc_names;
  for (const OperationInfo& op : operations()) {
    INFO(op.name);
    CHECK(names.insert(op.name).second);
    for (char c : op.name) CHECK(((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_'));
    CHECK_FALSE(op.summary.empty());
    CHECK(op.run != nullptr);
    // A CyberChef name comes with both mappings, and is unique.
    CHECK((op.from_cyberchef != nullptr) == !op.cyberchef_name.empty());
    CHECK((op.to_cyberchef != nullptr) == !op.cyberchef_name.empty());
    if (!op.cyberchef_name.empty()) CHECK(cc_names.insert(op.cyberchef_name).second);
    for (const ArgSpec& a : op.args) {
      CHECK_FALSE(a.name.empty());
      CHECK_FALSE(a.summary.empty());
      CHECK((a.type == ArgType::kChoice) == !a.choices.empty());
    }
  }
  CHECK(names.size() >= 20);
}

TEST_CASE("operations: the foundation set is registered", "[recipe][registry]") {
  for (const char* name : {"from_base64",
                           "to_base64",
                           "from_hex",
                           "to_hex",
                           "decode_text",
                           "encode_text",
                           "url_decode",
                           "url_encode",
                           "from_charcode",
                           "to_charcode",
                           "raw_inflate",
                           "zlib_inflate",
                           "gunzip",
                           "inflate",
                           "raw_deflate",
                           "zlib_deflate",
                           "gzip",
                           "xor",
                           "rc4",
                           "to_lower_case",
                           "to_upper_case",
                           "case_fold",
                           "normalize_unicode",
                           "reverse",
                           "regex_extract"}) {
    INFO(name);
    CHECK(find_operation(name) != nullptr);
  }
}

TEST_CASE("operations: defaults bind, and CyberChef mappings round-trip", "[recipe][registry]") {
  for (const OperationInfo& op : operations()) {
    INFO(op.name);
    std::vector<std::string> positional;
    if (op.name == "xor" || op.name == "rc4") positional = {"k"};
    if (op.name == "regex_extract") positional = {"a(b)c"};
    auto args = bind_args(op, positional);
    REQUIRE(args);
    if (op.to_cyberchef == nullptr) continue;
    auto cc = op.to_cyberchef(*args);
    if (!cc) continue;  // our defaults may have no CyberChef spelling
    auto back = op.from_cyberchef(*cc);
    REQUIRE(back);
    auto rebound = bind_args(op, *back);
    REQUIRE(rebound);
    if (op.name == "from_base64") {
      // Our default alphabet "auto" is written as CyberChef's standard one (the
      // same result unless the data holds '-' or '_'), which reads back as "standard".
      CHECK(rebound->text(0) == "standard");
      continue;
    }
    CHECK(rebound->values() == args->values());
  }
}

TEST_CASE("find_operation and find_cyberchef_operation", "[recipe][registry]") {
  CHECK(find_operation("from_base64")->cyberchef_name == "From Base64");
  CHECK(find_operation("From_Base64") == nullptr);
  CHECK(find_operation("") == nullptr);
  CHECK(find_cyberchef_operation("From Base64") == find_operation("from_base64"));
  CHECK(find_cyberchef_operation("From_Base64") == find_operation("from_base64"));
  CHECK(find_cyberchef_operation("decode TEXT") == find_operation("decode_text"));
  CHECK(find_cyberchef_operation("Magic") == nullptr);
}

TEST_CASE("suggest_operations: typos find the operation", "[recipe][registry]") {
  auto s = suggest_operations("from_bas64");
  REQUIRE_FALSE(s.empty());
  CHECK(s.front() == "from_base64");
  CHECK(suggest_operations("gunzipp").front() == "gunzip");
  CHECK(suggest_operations("xyzzyplugh").empty());
  const std::string msg = unknown_operation_message("to_lowercase");
  CHECK(msg.find("unknown operation 'to_lowercase'") != std::string::npos);
  CHECK(msg.find("did you mean 'to_lower_case'") != std::string::npos);
}

TEST_CASE("bind_args: types, names, choices and counts", "[recipe][registry]") {
  const OperationInfo& b64 = *find_operation("from_base64");
  auto ok = bind_args(b64, {"URL"}, {{"strict", "yes"}});
  REQUIRE(ok);
  CHECK(ok->text(0) == "url");
  CHECK(ok->boolean(1));

  auto bad_choice = bind_args(b64, {"latin"});
  REQUIRE_FALSE(bad_choice);
  CHECK(bad_choice.error().code == ioc::ErrorCode::kUsage);
  CHECK(bad_choice.error().message.find("auto, standard, url") != std::string::npos);

  auto bad_bool = bind_args(b64, {}, {{"strict", "maybe"}});
  REQUIRE_FALSE(bad_bool);
  CHECK(bad_bool.error().message.find("not a boolean") != std::string::npos);

  auto unknown = bind_args(b64, {}, {{"stirct", "true"}});
  REQUIRE_FALSE(unknown);
  CHECK(unknown.error().message.find("its arguments are: alphabet, strict") != std::string::npos);

  auto twice = bind_args(b64, {"url"}, {{"alphabet", "url"}});
  REQUIRE_FALSE(twice);
  CHECK(twice.error().message.find("given twice") != std::string::npos);

  auto many = bind_args(b64, {"url", "true", "extra"});
  REQUIRE_FALSE(many);
  CHECK(many.error().message.find("takes 2 arguments, got 3") != std::string::npos);

  auto bad_int = bind_args(*find_operation("from_charcode"), {"1O"});
  REQUIRE_FALSE(bad_int);
  CHECK(bad_int.error().message.find("not an integer") != std::string::npos);

  auto bad_regex = bind_args(*find_operation("regex_extract"), {"a(b"});
  REQUIRE_FALSE(bad_regex);
  CHECK(bad_regex.error().message.find("regex_extract: invalid regular expression") == 0);
  auto bad_group = bind_args(*find_operation("regex_extract"), {"a(b)", "2"});
  REQUIRE_FALSE(bad_group);
  CHECK(bad_group.error().message.find("no group 2") != std::string::npos);
}
