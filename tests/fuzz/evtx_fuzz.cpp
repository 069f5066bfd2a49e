// libFuzzer target: events::EvtxReader (libevtx) on arbitrary bytes. The
// first byte is the mode: bit 0 reads recovered records too; bit 1 passes the
// rest as it is. Otherwise the rest follows the "ElfFile\0" signature and is
// padded with zeros to a 4 KiB header and one 64 KiB chunk, the least libevtx
// reads records from (the runner's -max_len is 64 KiB): a seed is a prefix of
// a real file without its signature, so the records are fuzzed, not just the
// header. Nothing may crash, leak or throw; open_memory either fails with a
// message or every result keeps the invariants of a ParseResult (an error has
// a message, a process event an image or a command line, a recovered record
// is never an error), and the reader stops after at most records() +
// recovered() + 1 results.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "ioc/events/evtx.hpp"

namespace {

void check(bool ok) {
  if (!ok) __builtin_trap();
}

}  // namespace

// libevtx 20181227 leaks on its error paths: part of a binary-XML tree when
// a record fails to parse (libfwevt, libfvalue, libcdata), and the record
// lists when libevtx_file_open fails after reading the header (libfdata).
// The allocations are in libevtx.so, which has no frame pointers, so their
// stacks end in those internal functions: they are suppressed. A leaked
// file, record or libbfio handle of ours (libevtx_file_initialize,
// libevtx_record_*, libbfio_*) would still be reported.
extern "C" const char* __lsan_default_suppressions() {
  return "leak:libfwevt_\nleak:libcdata_\nleak:libfvalue_\nleak:libuna_\nleak:libfdata_\nleak:"
         "libfcache_\n";
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0 || size > 4 * 1024 * 1024) return 0;
  const bool recovered = (data[0] & 1) != 0;
  const std::string_view rest(reinterpret_cast<const char*>(data + 1), size - 1);
  std::string input;
  if ((data[0] & 2) != 0) {
    input.assign(rest);
  } else {
    constexpr std::size_t kOneChunkFile = 4096 + 65536;
    input.assign("ElfFile", 8);
    input.append(rest);
    if (input.size() < kOneChunkFile) input.resize(kOneChunkFile, '\0');
  }

  ioc::events::EvtxReader reader;
  reader.set_read_recovered(recovered);
  std::string error;
  if (!reader.open_memory(input, &error)) {
    check(!error.empty());
    return 0;
  }
  const std::size_t limit = reader.records() + (recovered ? reader.recovered() : 0) + 1;
  ioc::events::ParseResult r;
  std::uint64_t number = 0;
  bool was_recovered = false;
  std::size_t n = 0;
  while (reader.next(r, &number, &was_recovered)) {
    check(++n <= limit);
    if (was_recovered) check(recovered && r.kind != ioc::events::ParseKind::kError);
    if (r.kind == ioc::events::ParseKind::kError) check(!r.error.empty());
    if (r.kind == ioc::events::ParseKind::kProcess)
      check(!r.event.image.empty() || !r.event.command_line.empty());
  }
  return 0;
}
