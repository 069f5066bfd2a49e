// parallel_records (and parallel_batches): records handed to worker threads in recycled batches,
// every result emitted in input order with its own record.
#include "ioc/io/parallel.hpp"

#include <catch2/catch.hpp>

#include <sstream>
#include <string>
#include <vector>

#include "../support.hpp"

namespace {

struct Result {
  std::string upper;  // the record's text, upper-cased by the worker
  std::uint64_t line = 0;
  int fills = 0;  // how many times this result object was filled (it is reused)
};

}  // namespace

TEST_CASE("parallel_records keeps input order and each record's own result", "[io]") {
  // Lines of very different lengths, a few longer than the buffer a recycled
  // record keeps, over many small batches so that batches are reused often.
  std::string data;
  std::vector<std::string> lines;
  for (int i = 0; i < 3000; ++i) {
    std::string line = "line " + std::to_string(i) + " ";
    line.append(i % 500 == 7 ? ioc::io::kKeepRecordBuffer + 1000 : static_cast<std::size_t>(i % 97),
                static_cast<char>('a' + i % 26));
    lines.push_back(line);
    data += line + "\n";
  }
  const ioc::test::TempDir dir;
  ioc::io::InputOptions in;
  in.paths = {dir.file("lines.txt", data)};
  for (unsigned jobs : {1U, 2U, 3U}) {
    std::ostringstream err;
    ioc::io::Diagnostics diag("test", "matched", err);
    std::vector<std::string> got;
    std::vector<std::uint64_t> got_lines;
    int max_fills = 0;
    const std::function<void(ioc::io::OwnedRecord&, Result&)> work = [](ioc::io::OwnedRecord& rec,
                                                                        Result& r) {
      r.upper = rec.text;
      for (char& c : r.upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
      r.line = rec.line;
      ++r.fills;
    };
    const std::function<bool(ioc::io::OwnedRecord&, Result&)> emit = [&](ioc::io::OwnedRecord& rec,
                                                                         Result& r) {
      CHECK(r.line == rec.line);
      got.push_back(r.upper);
      got_lines.push_back(rec.line);
      max_fills = std::max(max_fills, r.fills);
      return true;
    };
    INFO("jobs " << jobs);
    REQUIRE(ioc::io::parallel_records<Result>(
        in, diag, {.jobs = jobs, .batch_records = 16, .batch_bytes = 4096}, work, emit));
    REQUIRE(got.size() == lines.size());
    for (std::size_t i = 0; i < lines.size(); ++i) {
      std::string want = lines[i];
      for (char& c : want) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
      REQUIRE(got[i] == want);
      REQUIRE(got_lines[i] == i + 1);
    }
    CHECK(max_fills > 1);  // result objects were reused, with every field filled anew
  }
}

TEST_CASE("parallel_records stops reading when emit says so", "[io]") {
  std::string data;
  for (int i = 0; i < 5000; ++i) data += "record " + std::to_string(i) + "\n";
  const ioc::test::TempDir dir;
  ioc::io::InputOptions in;
  in.paths = {dir.file("records.txt", data)};
  std::ostringstream err;
  ioc::io::Diagnostics diag("test", "matched", err);
  std::vector<std::string> got;
  const std::function<void(ioc::io::OwnedRecord&, std::string&)> work =
      [](ioc::io::OwnedRecord& rec, std::string& r) { r = rec.text; };
  const std::function<bool(ioc::io::OwnedRecord&, std::string&)> emit = [&](ioc::io::OwnedRecord&,
                                                                            std::string& r) {
    got.push_back(r);
    return got.size() < 100;
  };
  CHECK_FALSE(ioc::io::parallel_records<std::string>(
      in, diag, {.jobs = 2, .batch_records = 8, .batch_bytes = 1 << 20}, work, emit));
  REQUIRE(got.size() == 100);
  CHECK(got.front() == "record 0");
  CHECK(got.back() == "record 99");
  CHECK(diag.read() < 5000);
}

TEST_CASE("parallel_batches hands each batch whole, results still in input order", "[io]") {
  // Each result records how many records its batch held: with batch_records 16
  // the batches hold up to 16 (one with one job, where records go one by one).
  std::string data;
  for (int i = 0; i < 1000; ++i) data += "r" + std::to_string(i) + "\n";
  const ioc::test::TempDir dir;
  ioc::io::InputOptions in;
  in.paths = {dir.file("records.txt", data)};
  for (unsigned jobs : {1U, 2U, 3U}) {
    std::ostringstream err;
    ioc::io::Diagnostics diag("test", "matched", err);
    std::vector<std::string> got;
    std::size_t largest = 0;
    const std::function<void(std::span<ioc::io::OwnedRecord>, std::span<Result>)> work =
        [](std::span<ioc::io::OwnedRecord> records, std::span<Result> results) {
          REQUIRE(records.size() == results.size());
          for (std::size_t k = 0; k < records.size(); ++k) {
            results[k].upper = records[k].text;
            results[k].line = records[k].line;
            results[k].fills = static_cast<int>(records.size());
          }
        };
    const std::function<bool(ioc::io::OwnedRecord&, Result&)> emit = [&](ioc::io::OwnedRecord& rec,
                                                                         Result& r) {
      CHECK(r.line == rec.line);
      got.push_back(r.upper);
      largest = std::max(largest, static_cast<std::size_t>(r.fills));
      return true;
    };
    INFO("jobs " << jobs);
    REQUIRE(ioc::io::parallel_batches<Result>(
        in, diag, {.jobs = jobs, .batch_records = 16, .batch_bytes = 1 << 20}, work, emit));
    REQUIRE(got.size() == 1000);
    for (std::size_t i = 0; i < got.size(); ++i) REQUIRE(got[i] == "r" + std::to_string(i));
    CHECK(largest == (jobs == 1 ? 1U : 16U));
  }
}
