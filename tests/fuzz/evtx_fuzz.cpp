// libFuzzer target: events::EvtxReader (libevtx, and its fast path) on
// arbitrary bytes. The first byte is the mode: bit 0 reads recovered records
// too; bit 1 passes the rest as it is; bit 2 makes the checksums right (the
// file header's, and each chunk's header and records checksums), so that
// libevtx reads damaged records instead of flagging the chunk, and the fast
// path, which libevtx's verdict gates, reads them too. Without bit 1 the rest
// follows the "ElfFile\0" signature and is padded with zeros to a 4 KiB
// header and one 64 KiB chunk, the least libevtx reads records from (the
// runner's -max_len is 64 KiB): a seed is a prefix of a real file without
// its signature, so the records are fuzzed, not just the header. Nothing may
// crash, leak or throw; open_memory either fails with a message or every
// result keeps the invariants of a ParseResult (an error has a message, a
// process event an image or a command line, a recovered record is never an
// error), and the reader stops after at most records() + recovered() + 1
// results. The same input is read again with the fast path off (libevtx
// alone): the same records and numbers, and where neither result is an error,
// the same result, member by member (up to a record that libevtx fails on
// and the fast path reads).
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "ioc/events/evtx.hpp"

namespace {

void check(bool ok) {
  if (!ok) __builtin_trap();
}

std::uint32_t crc32(const char* p, std::size_t n) {
  std::uint32_t c = 0xffffffffu;
  for (std::size_t i = 0; i < n; ++i) {
    c ^= static_cast<unsigned char>(p[i]);
    for (int k = 0; k < 8; ++k) c = (c >> 1) ^ (0xedb88320u & (0u - (c & 1u)));
  }
  return ~c;
}

std::uint32_t get32(const std::string& s, std::size_t at) {
  std::uint32_t v = 0;
  for (int i = 3; i >= 0; --i) v = v << 8 | static_cast<unsigned char>(s[at + i]);
  return v;
}

void put32(std::string& s, std::size_t at, std::uint32_t v) {
  for (int i = 0; i < 4; ++i) s[at + i] = static_cast<char>(v >> (8 * i));
}

/// The file header's checksum (at 124: the first 120 bytes) and, in each
/// whole chunk, the records checksum (at 52: offset 512 to the free-space
/// offset at 48) and the header checksum (at 124: bytes 0-120 and 128-512).
void fix_checksums(std::string& f) {
  if (f.size() >= 128) put32(f, 124, crc32(f.data(), 120));
  for (std::size_t c = 4096; c + 65536 <= f.size(); c += 65536) {
    const std::size_t free_space = get32(f, c + 48);
    if (free_space >= 512 && free_space <= 65536)
      put32(f, c + 52, crc32(f.data() + c + 512, free_space - 512));
    std::string head(f, c, 120);
    head.append(f, c + 128, 384);
    put32(f, c + 124, crc32(head.data(), head.size()));
  }
}

bool same(const ioc::events::ParseResult& a, const ioc::events::ParseResult& b) {
  const ioc::events::ProcessEvent& x = a.event;
  const ioc::events::ProcessEvent& y = b.event;
  return a.kind == b.kind && a.error == b.error && x.host == y.host && x.time == y.time &&
         x.guid == y.guid && x.pid == y.pid && x.parent_guid == y.parent_guid && x.ppid == y.ppid &&
         x.image == y.image && x.command_line == y.command_line &&
         x.parent_image == y.parent_image && x.parent_command_line == y.parent_command_line &&
         x.user == y.user && x.integrity_level == y.integrity_level && x.logon_id == y.logon_id &&
         x.hashes == y.hashes && x.event_id == y.event_id && x.source == y.source &&
         x.fields == y.fields;
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
  if ((data[0] & 4) != 0) fix_checksums(input);

  ioc::events::EvtxReader reader, slow;
  reader.set_read_recovered(recovered);
  slow.set_read_recovered(recovered);
  slow.set_fast_path(false);
  std::string error, slow_error;
  const bool opened = reader.open_memory(input, &error);
  check(opened == slow.open_memory(input, &slow_error) && error == slow_error);
  if (!opened) {
    check(!error.empty());
    return 0;
  }
  check(reader.records() == slow.records() && reader.corrupted() == slow.corrupted());
  const std::size_t limit = reader.records() + (recovered ? reader.recovered() : 0) + 1;
  ioc::events::ParseResult r;
  std::uint64_t number = 0;
  bool was_recovered = false;
  std::size_t n = 0;
  ioc::events::ParseResult s;
  std::uint64_t slow_number = 0;
  bool slow_recovered = false;
  bool aligned = true;
  while (reader.next(r, &number, &was_recovered)) {
    check(++n <= limit);
    // Where libevtx fails on a record the fast path may read it (libevtx
    // then numbers it 0, and its identifier does not hide a stale recovered
    // copy): after such a record only the invariants are checked.
    if (aligned) {
      check(slow.next(s, &slow_number, &slow_recovered));
      if (s.kind == ioc::events::ParseKind::kError && r.kind != ioc::events::ParseKind::kError) {
        aligned = false;
      } else {
        check(number == slow_number && was_recovered == slow_recovered);
        if (r.kind != ioc::events::ParseKind::kError && s.kind != ioc::events::ParseKind::kError)
          check(same(r, s));
      }
    }
    if (was_recovered) check(recovered && r.kind != ioc::events::ParseKind::kError);
    if (r.kind == ioc::events::ParseKind::kError) check(!r.error.empty());
    if (r.kind == ioc::events::ParseKind::kProcess)
      check(!r.event.image.empty() || !r.event.command_line.empty());
  }
  if (aligned) check(!slow.next(s));
  return 0;
}
