// Benchmark driver: reads .evtx files with events::EvtxReader and prints the
// counts (records, process creations, other events, errors) and events/s on
// stderr. Used by bench_evtx.py; not a tool.
//
//   evtx_read [--recovered] [--memory] [--print] [--libevtx] FILE...
//
// --memory reads each file into memory first and uses open_memory; --print
// writes one line per process event (record number, image, command line) to
// stdout, so that the work cannot be optimized away and the output can be
// compared; --libevtx turns the fast path off (every record through libevtx,
// as before the fast path). The summary counts the records the fast path read.
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <string>
#include <string_view>

#include "ioc/events/evtx.hpp"

int main(int argc, char** argv) {
  bool recovered = false, memory = false, print = false, fast = true;
  std::uint64_t records = 0, process = 0, other = 0, errors = 0, files = 0, bad_files = 0,
                fast_records = 0;
  const auto t0 = std::chrono::steady_clock::now();
  ioc::events::EvtxReader reader;
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    if (arg == "--recovered") {
      recovered = true;
      continue;
    }
    if (arg == "--memory") {
      memory = true;
      continue;
    }
    if (arg == "--libevtx") {
      fast = false;
      continue;
    }
    if (arg == "--print") {
      print = true;
      continue;
    }
    reader.set_read_recovered(recovered);
    reader.set_fast_path(fast);
    std::string error, bytes;
    bool ok;
    if (memory) {
      std::ifstream in(argv[i], std::ios::binary);
      bytes.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
      ok = reader.open_memory(bytes, &error);
    } else {
      ok = reader.open_file(argv[i], &error);
    }
    ++files;
    if (!ok) {
      std::fprintf(stderr, "%s: %s\n", argv[i], error.c_str());
      ++bad_files;
      continue;
    }
    ioc::events::ParseResult r;
    std::uint64_t number = 0;
    while (reader.next(r, &number)) {
      ++records;
      switch (r.kind) {
        case ioc::events::ParseKind::kProcess:
          ++process;
          if (print)
            std::printf("%llu\t%s\t%s\n", static_cast<unsigned long long>(number),
                        r.event.image.c_str(), r.event.command_line.c_str());
          break;
        case ioc::events::ParseKind::kOther: ++other; break;
        case ioc::events::ParseKind::kError:
          ++errors;
          std::fprintf(stderr, "%s: record %llu: %s\n", argv[i],
                       static_cast<unsigned long long>(number), r.error.c_str());
          break;
      }
    }
    fast_records += reader.fast_records();
    reader.close();
  }
  const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  std::fprintf(stderr,
               "files %llu (unreadable %llu) records %llu process %llu other %llu errors %llu "
               "fast path %llu seconds %.3f events/s %.0f\n",
               static_cast<unsigned long long>(files), static_cast<unsigned long long>(bad_files),
               static_cast<unsigned long long>(records), static_cast<unsigned long long>(process),
               static_cast<unsigned long long>(other), static_cast<unsigned long long>(errors),
               static_cast<unsigned long long>(fast_records), s,
               s > 0 ? static_cast<double>(records) / s : 0.0);
  return errors != 0 || bad_files != 0 ? 1 : 0;
}
