// Times each stage of psdecode's peel on a file of command lines (one per line):
// splitting and unwrapping, base64 + UTF-16LE, constant folding, payload search,
// Empire parsing, JSON building and serialization. Prints ns per line per stage.
//   build/bench/tests/bench/peel_stages_bench launchers.txt
#include <chrono>
#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "decode/payloads.hpp"
#include "decode/text_kind.hpp"
#include "ioc/cmdline/powershell_args.hpp"
#include "ioc/cmdline/wrappers.hpp"
#include "ioc/codec/base64.hpp"
#include "ioc/codec/utf16.hpp"
#include "ioc/decode/peeler.hpp"
#include "ioc/decode/report.hpp"
#include "ioc/stager/empire.hpp"
#include "ioc/text/ps_fold.hpp"

namespace {

using Clock = std::chrono::steady_clock;

template <typename F>
double time_ns(std::size_t n, F&& f) {
  const auto t0 = Clock::now();
  f();
  return std::chrono::duration<double, std::nano>(Clock::now() - t0).count() /
         static_cast<double>(n);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: peel_stages_bench FILE\n");
    return 2;
  }
  std::ifstream in(argv[1]);
  std::vector<std::string> lines;
  for (std::string l; std::getline(in, l);) lines.push_back(l);
  const std::size_t n = lines.size();
  std::size_t bytes = 0;
  for (const auto& l : lines) bytes += l.size();

  std::vector<std::string> commands(n), scripts(n), folded(n);
  std::vector<ioc::decode::Peeled> peeled(n);
  std::size_t sink = 0;
  std::printf("%zu lines, %.1f MB\n", n, static_cast<double>(bytes) / 1e6);
  std::printf("%-28s %10s\n", "stage", "ns/line");
  auto row = [](const char* name, double ns) { std::printf("%-28s %10.0f\n", name, ns); };

  row("unwrap_command_line", time_ns(n, [&] {
        for (std::size_t i = 0; i < n; ++i)
          commands[i] = ioc::cmdline::unwrap_command_line(lines[i]).command;
      }));
  std::vector<std::string> blobs(n);
  row("parse_powershell_args", time_ns(n, [&] {
        for (std::size_t i = 0; i < n; ++i)
          if (auto ps = ioc::cmdline::parse_powershell_command_line(commands[i]))
            blobs[i] = ps->encoded_command;
      }));
  row("base64 + utf-16le", time_ns(n, [&] {
        for (std::size_t i = 0; i < n; ++i) {
          auto b = ioc::codec::decode_base64(blobs[i]);
          if (b) scripts[i] = ioc::codec::decode_utf16(*b, ioc::codec::Endian::kLittle).value();
        }
      }));
  row("fold_powershell", time_ns(n, [&] {
        for (std::size_t i = 0; i < n; ++i)
          folded[i] = ioc::text::fold_powershell(scripts[i]).script;
      }));
  row("find_payloads (folded)", time_ns(n, [&] {
        for (std::size_t i = 0; i < n; ++i) sink += ioc::decode::find_payloads(folded[i]).size();
      }));
  row("loader/custom checks", time_ns(n, [&] {
        for (std::size_t i = 0; i < n; ++i)
          sink += ioc::decode::mentions_shellcode_loader(folded[i]) +
                  ioc::decode::has_custom_decoder(folded[i]);
      }));
  row("is_command_line+blob test", time_ns(n, [&] {
        for (std::size_t i = 0; i < n; ++i)
          sink += ioc::decode::is_command_line(lines[i]) +
                  ioc::decode::looks_like_base64_blob(lines[i]);
      }));
  row("classify_bytes", time_ns(n, [&] {
        for (std::size_t i = 0; i < n; ++i)
          sink += static_cast<int>(ioc::decode::classify_bytes(scripts[i]));
      }));
  row("parse_empire_stager", time_ns(n, [&] {
        for (std::size_t i = 0; i < n; ++i)
          sink += ioc::stager::parse_empire_stager(scripts[i]).has_value();
      }));
  row("peel (all of it)", time_ns(n, [&] {
        for (std::size_t i = 0; i < n; ++i) peeled[i] = ioc::decode::peel(lines[i]);
      }));
  std::vector<nlohmann::ordered_json> js(n);
  row("to_json", time_ns(n, [&] {
        for (std::size_t i = 0; i < n; ++i) js[i] = ioc::decode::to_json(peeled[i], "x:1");
      }));
  row("json dump", time_ns(n, [&] {
        for (std::size_t i = 0; i < n; ++i) sink += js[i].dump().size();
      }));
  return sink == 0 ? 1 : 0;
}
