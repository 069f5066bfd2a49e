// ioc/events/evtx.hpp — Windows XML Event Log (.evtx) files read in process
// (libyal's libevtx), record by record, as ProcessEvents.
//
//   events::EvtxReader evtx;
//   std::string err;
//   if (!evtx.open_file(path, &err)) fail(err);            // or open_memory(bytes, &err)
//   events::ParseResult r;
//   std::uint64_t number;
//   bool recovered;
//   while (evtx.next(r, &number, &recovered)) {
//     if (r.kind == events::ParseKind::kProcess) use(r.event);
//     else if (r.kind == events::ParseKind::kError) report(path, number, r.error);
//   }
//
// Each record is rendered by libevtx as the XML document `evtxexport -f xml`
// prints and handed to EventReader::parse_line, so a record gives exactly the
// ParseResult that reader gives for its XML: kProcess for Sysmon EventID 1 and
// Security 4688 (with `fields` holding every EventData Data[@Name]), kOther for
// other events, kError for a record that cannot be read (the message says
// why). One difference: hex integers libevtx zero-pads ("0x00000000000003e7",
// "0x00001410": an exact "0x" and 8 or 16 hex digits) are written as Windows
// writes them ("0x3e7", "0x1410") in `fields` and `logon_id`. Only the allocated records are read
// unless set_read_recovered(true): then the recovered ones follow (flagged), the records libevtx
// still finds in a chunk's free space. Those are often stale copies of allocated records (skipped:
// same EventRecordID) or fragments (skipped quietly: no finding), and in files exported from a live
// log they are events that were not exported, which is why they are not read by default
// (`evtxexport` neither).
//
// Untrusted input: a file that is not EVTX, or whose header cannot be read, is
// refused by open_*; a truncated or corrupted file (libevtx could not read
// every chunk) gives one kError (record number 0) before its readable records;
// a damaged record is one kError and reading goes on with the next; a record
// whose XML is larger than 16 MiB is a kError. libevtx reads lazily: the file
// stays open until close(), the next open, or the destructor.
//
// The fast path: libevtx spends most of its time building and rendering each
// record (5,000-8,000 records/s), so the allocated records are read here from
// the file's chunks: a record that is a template instance with plain values
// (strings, integers, GUIDs, SIDs, FILETIMEs...) goes from its values straight
// to the ParseResult its XML would give (EventReader::from_fields); anything
// else (nested binary XML, arrays, entity references, control characters, a
// file whose record list differs from libevtx's or that libevtx flags as
// corrupted) is read through libevtx as above. Recovered records always are.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "ioc/events/process_event.hpp"

namespace ioc::events {

/// True when `first_bytes` starts with the EVTX file signature "ElfFile\0"
/// (8 bytes; a shorter prefix is false).
bool looks_like_evtx(std::string_view first_bytes) noexcept;

class EvtxReader {
 public:
  EvtxReader();
  ~EvtxReader();
  EvtxReader(EvtxReader&&) noexcept;
  EvtxReader& operator=(EvtxReader&&) noexcept;
  EvtxReader(const EvtxReader&) = delete;
  EvtxReader& operator=(const EvtxReader&) = delete;

  /// Whether next() goes on with the recovered records after the allocated
  /// ones (default off). Set before or after open; kept across opens.
  void set_read_recovered(bool on) noexcept;

  /// Opens an .evtx file (closing what was open). False, with *error set
  /// (when not null) to a one-line reason, when it cannot be read as EVTX.
  bool open_file(const std::string& path, std::string* error);
  /// As open_file, on bytes in memory (stdin, the fuzzer). The bytes are
  /// copied (with 68 KiB of zeros after them: libbfio 20181227's memory range
  /// reads past its end when a read crosses it), so they need not outlive
  /// the call; the copy is kept until close() or the next open.
  bool open_memory(std::string_view bytes, std::string* error);
  /// Releases the file; next() then returns false. Called by the destructor.
  void close() noexcept;

  /// The next record: false at the end (or when nothing is open). Fills `out`
  /// as EventReader::parse_line does for the record's XML; an unreadable
  /// record is kError with a message naming its index. *record_number (when
  /// not null) gets the record's identifier from its record header, 0 when it
  /// cannot be read: in a live log that is the EventRecordID, in a log saved
  /// from Event Viewer (filtered or not) it is the position 1..N in the file
  /// while the XML keeps the original EventRecordID. *recovered (when not
  /// null) is true for a recovered record.
  bool next(ParseResult& out, std::uint64_t* record_number = nullptr, bool* recovered = nullptr);

  /// Allocated records in the open file (what next() returns first).
  std::size_t records() const noexcept;
  /// Recovered-record candidates libevtx found in the open file (read only
  /// with set_read_recovered(true); stale copies and fragments are skipped).
  std::size_t recovered() const noexcept;
  /// Whether libevtx flagged the open file as corrupted (a damaged chunk or
  /// header: the counts above may miss records).
  bool corrupted() const noexcept;

  /// The fast path (default on; set before or after open, kept across
  /// opens): allocated records are read from the chunks without libevtx
  /// where their binary XML is understood (see above); off, every record
  /// goes through libevtx. The results are the same either way.
  void set_fast_path(bool on) noexcept;
  /// Records of the open file that next() has read through the fast path so
  /// far (the others went through libevtx).
  std::size_t fast_records() const noexcept;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace ioc::events
