#include <catch2/catch.hpp>

#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "ioc/codec/base64.hpp"
#include "ioc/codec/inflate.hpp"
#include "ioc/recipe/parse.hpp"
#include "ioc/recipe/run.hpp"

using namespace ioc;
using namespace ioc::recipe;

TEST_CASE("run_recipe: each step feeds the next", "[recipe][run]") {
  auto r = parse_recipe("from_base64 | gunzip | decode_text utf-16le | reverse");
  REQUIRE(r);
  auto gz = codec::deflate(std::string("a\0b\0c\0", 6), codec::Container::kGzip);
  REQUIRE(gz);
  OpContext ctx;
  auto out = run_recipe(*r, codec::encode_base64(*gz), ctx);
  REQUIRE(out);
  CHECK(*out == "cba");
  CHECK(ctx.warnings.empty());
}

TEST_CASE("run_recipe: errors name the step", "[recipe][run]") {
  auto r = parse_recipe("from_base64 | decode_text utf-16le strict=true");
  REQUIRE(r);
  OpContext ctx;
  auto out = run_recipe(*r, "QQBC", ctx);  // 3 bytes: odd for UTF-16
  REQUIRE_FALSE(out);
  CHECK(out.error().code == ErrorCode::kTruncated);
  CHECK(out.error().message.rfind("step 2 (decode_text): ", 0) == 0);
  CHECK(out.error().offset == 2);

  auto strict = parse_recipe("from_base64 strict=true");
  REQUIRE(strict);
  auto bad = run_recipe(*strict, "aGVs!bG8=", ctx);
  REQUIRE_FALSE(bad);
  CHECK(bad.error().describe() == "step 1 (from_base64): invalid base64 character '!' at offset 4");
}

TEST_CASE("run_recipe: warnings carry the step", "[recipe][run]") {
  auto r = parse_recipe("from_base64 | decode_text utf-16le");
  REQUIRE(r);
  OpContext ctx;
  auto out = run_recipe(*r, "QQBC", ctx);
  REQUIRE(out);
  CHECK(*out == "A");
  REQUIRE(ctx.warnings.size() == 1);
  CHECK(ctx.warnings[0] == "step 2 (decode_text): dropped a trailing odd byte of UTF-16 input");
}

TEST_CASE("run_recipe: limits apply to every step", "[recipe][run]") {
  auto r = parse_recipe("to_hex | to_hex");
  REQUIRE(r);
  OpContext ctx;
  ctx.limits.max_output = 100;
  auto out = run_recipe(*r, std::string(30, 'x'), ctx);
  REQUIRE_FALSE(out);
  CHECK(out.error().code == ErrorCode::kLimitExceeded);
  CHECK(out.error().message.rfind("step 2 (to_hex): ", 0) == 0);

  // A decompression bomb is an error value, not an allocation.
  auto bomb = codec::deflate(std::string(32 * kMiB, '\0'), codec::Container::kGzip, 9);
  REQUIRE(bomb);
  auto gunzip = parse_recipe("gunzip");
  REQUIRE(gunzip);
  OpContext small;
  small.limits.max_inflate_total = 4 * kMiB;
  auto boom = run_recipe(*gunzip, *bomb, small);
  REQUIRE_FALSE(boom);
  CHECK(boom.error().code == ErrorCode::kLimitExceeded);
  OpContext ratio;  // default 1000:1 catches the 32 MiB of zeros
  auto boom2 = run_recipe(*gunzip, *bomb, ratio);
  REQUIRE_FALSE(boom2);
  CHECK(boom2.error().code == ErrorCode::kLimitExceeded);
}

namespace {

struct TempDir {
  TempDir() {
    char tmpl[] = "/tmp/ioc-run-test-XXXXXX";
    path = mkdtemp(tmpl);
  }
  ~TempDir() { std::filesystem::remove_all(path); }
  std::string write(const std::string& name, const std::string& content) const {
    const std::string p = path + "/" + name;
    std::ofstream(p, std::ios::binary) << content;
    return p;
  }
  std::string read(const std::string& name) const {
    std::ifstream in(path + "/" + name, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
  }
  std::string path;
};

// Runs the recipe runner with output into a file; returns the lines written.
std::vector<std::string> run_records(const TempDir& dir, const std::string& recipe_text,
                                     io::InputOptions in, io::OutputFormat format,
                                     io::Diagnostics& diag) {
  auto recipe = parse_recipe(recipe_text);
  REQUIRE(recipe);
  const std::string out_path = dir.path + "/out";
  FILE* f = std::fopen(out_path.c_str(), "wb");
  REQUIRE(f != nullptr);
  {
    io::Output out(fileno(f), io::Output::Buffering::kBlock);
    io::RecordWriter writer(out, format, {}, "output", '\n');
    run_recipe_on_records(*recipe, in, {}, writer, out, diag);
  }
  std::fclose(f);
  std::vector<std::string> lines;
  std::stringstream ss(dir.read("out"));
  for (std::string line; std::getline(ss, line);) lines.push_back(line);
  return lines;
}

}  // namespace

TEST_CASE("run_recipe_on_records: one output per record, failures reported", "[recipe][run]") {
  TempDir dir;
  const std::string in = dir.write("blobs.txt", "dwBoAG8AYQBtAGkA\nnot base64!\naABpAA==\n");
  std::ostringstream err;
  io::Diagnostics diag("psdecode", "decoded", err);
  auto lines = run_records(dir, "from_base64 strict=true | decode_text utf-16le", {.paths = {in}},
                           io::OutputFormat::kJsonl, diag);
  REQUIRE(lines.size() == 2);
  auto first = nlohmann::json::parse(lines[0]);
  CHECK(first["source"] == in + ":1");
  CHECK(first["output"] == "whoami");
  CHECK(nlohmann::json::parse(lines[1])["output"] == "hi");
  CHECK(diag.read() == 3);
  CHECK(diag.ok() == 2);
  CHECK(diag.failed() == 1);
  CHECK(err.str() == "psdecode: " + in +
                         ":2: step 1 (from_base64): invalid base64 character '!' at offset 10\n");
}

TEST_CASE("run_recipe_on_records: binary results and --field pass-through", "[recipe][run]") {
  TempDir dir;
  const std::string in = dir.write("events.jsonl", R"({"host":"venus","CommandLine":"//79"})"
                                                   "\n"
                                                   R"({"host":"wrk","CommandLine":"%%%"})"
                                                   "\n");
  std::ostringstream err;
  io::Diagnostics diag("cmdchain", "decoded", err);
  auto lines = run_records(dir, "from_base64 strict=true", {.paths = {in}, .field = "CommandLine"},
                           io::OutputFormat::kJsonl, diag);
  REQUIRE(lines.size() == 2);
  auto first = nlohmann::json::parse(lines[0]);
  CHECK(first["host"] == "venus");
  CHECK(first["CommandLine"] == "//79");
  CHECK(first["CommandLine_decoded_base64"] == "//79");  // bytes ff fe fd are not UTF-8
  CHECK_FALSE(first.contains("CommandLine_decoded"));
  auto second = nlohmann::json::parse(lines[1]);
  CHECK(second["host"] == "wrk");
  CHECK(second["CommandLine_error"] ==
        "step 1 (from_base64): invalid base64 character '%' at offset 0");
  CHECK(diag.ok() == 1);
  CHECK(diag.failed() == 1);
}
