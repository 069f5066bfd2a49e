// .evtx files through libevtx, and a fast path: see ioc/events/evtx.hpp.
//
// The libevtx path: each record is rendered by libevtx as UTF-8 XML and
// parsed by EventReader, the path `evtxexport -f xml` output takes. libevtx's
// own per-record cost (its binary-XML parser and cache, mostly malloc/free)
// dominates: 5,000-8,000 records/s (tests/bench/bench_evtx.py). The record's
// strings (libevtx_record_get_utf8_string) carry no field names, so they are
// not a shortcut.
//
// The fast path (binxml.hpp): the allocated records are read from the chunks
// here, and a record built from a template the fast path understands goes
// from its substitution values to EventReader::from_fields, as its XML would.
// libevtx still opens the file (the counts, the corruption flag, the
// recovered records) and reads every record the fast path declines. The
// record list is ours only when it agrees with libevtx's: the same number of
// allocated records and a file libevtx does not flag as corrupted; otherwise
// the whole file is read through libevtx.
#include "ioc/events/evtx.hpp"

#include <libevtx.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <unordered_set>
#include <utility>
#include <vector>

#include "binxml.hpp"

namespace ioc::events {
namespace {

constexpr std::size_t kMaxXml = 16u * 1024 * 1024;  // as EventReader's line limit
// The largest read libevtx asks of libbfio: a chunk (64 KiB), or the file
// header (4 KiB). See open_memory.
constexpr std::size_t kMaxRead = 64u * 1024 + 4096;
// The XML buffer's first size: most records render in a few KiB.
constexpr std::size_t kFirstXmlBuffer = 64u * 1024;
constexpr std::string_view kSignature{"ElfFile\0", 8};

/// libyal errors carry a backtrace, innermost first ("fn: message."): the
/// innermost message says what was wrong. Frees the error.
template <typename Error, typename Sprint, typename Free>
std::string take_error(Error*& err, Sprint sprint, Free free_error, const char* fallback) {
  if (err == nullptr) return fallback;
  char buf[4096];
  buf[0] = '\0';
  const bool ok = sprint(err, buf, sizeof buf) > 0;
  free_error(&err);
  std::string_view s = ok ? std::string_view(buf, strnlen(buf, sizeof buf)) : std::string_view{};
  s = s.substr(0, s.find('\n'));
  // Drop the "libxxx_function_name: " prefix.
  if (const std::size_t colon = s.find(": ");
      colon != std::string_view::npos && s.substr(0, colon).find(' ') == std::string_view::npos)
    s.remove_prefix(colon + 2);
  while (!s.empty() && (s.back() == '.' || s.back() == ' ' || s.back() == '\r')) s.remove_suffix(1);
  if (s.empty()) return fallback;
  return std::string(s);
}

std::string evtx_error(libevtx_error_t*& err, const char* fallback) {
  return take_error(err, libevtx_error_backtrace_sprint, libevtx_error_free, fallback);
}

std::string bfio_error(libbfio_error_t*& err, const char* fallback) {
  return take_error(err, libbfio_error_backtrace_sprint, libbfio_error_free, fallback);
}

/// libevtx renders HexInt32 and HexInt64 values zero-padded ("0x00001410",
/// "0x00000000000003e7"); Windows (Event Viewer, wevtutil, the XML that
/// Splunk and converters keep) writes them without the padding ("0x1410",
/// "0x3e7"), and so do rules that test them (Sigma: LogonId: '0x3e7'). A
/// value that is exactly "0x" and 8 or 16 hex digits loses its leading zeros.
void unpad_hex(std::string& v) {
  if ((v.size() != 10 && v.size() != 18) || v[0] != '0' || v[1] != 'x' || v[2] != '0') return;
  for (std::size_t i = 2; i < v.size(); ++i) {
    const char c = v[i];
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'))) return;
  }
  std::size_t first = 2;
  while (first + 1 < v.size() && v[first] == '0') ++first;
  v.erase(2, first - 2);
}

/// What both paths do to a result before next() returns it.
void finish(ParseResult& out) {
  if (out.kind != ParseKind::kProcess) return;
  unpad_hex(out.event.logon_id);
  for (auto& field : out.event.fields) unpad_hex(field.second);
}

ParseResult record_error(std::string message) {
  ParseResult r;
  r.kind = ParseKind::kError;
  r.error = std::move(message);
  return r;
}

}  // namespace

bool looks_like_evtx(std::string_view first_bytes) noexcept {
  return first_bytes.size() >= kSignature.size() &&
         first_bytes.substr(0, kSignature.size()) == kSignature;
}

struct EvtxReader::Impl {
  libevtx_file_t* file = nullptr;
  libbfio_handle_t* memory = nullptr;  ///< the memory range of open_memory
  std::string bytes;                   ///< open_memory's copy, zero-padded
  bool read_recovered = false;
  int allocated = 0;  ///< records libevtx lists
  int recoverable = 0;
  bool is_corrupted = false;
  bool corruption_reported = false;
  int next_index = 0;                      ///< over allocated, then recovered records
  std::unordered_set<std::uint64_t> seen;  ///< identifiers of allocated records
  std::string xml;                         ///< reused for each record
  EventReader parser;

  // The fast path.
  struct Span {
    std::uint64_t at;   ///< the chunk's offset in the file
    std::size_t first;  ///< the index of its first record
    std::size_t count;  ///< its records (`offsets` from `first`)
  };
  bool fast = true;                    ///< set_fast_path
  bool fast_ok = false;                ///< our record list agrees with libevtx's
  std::FILE* stream = nullptr;         ///< open_file's file, for the chunks
  std::size_t memory_size = 0;         ///< open_memory's size (`bytes` is padded)
  std::vector<Span> spans;             ///< the chunks that hold records
  std::vector<std::uint16_t> offsets;  ///< of each allocated record in its chunk
  std::size_t span = 0;                ///< the span of the next record
  std::size_t loaded = SIZE_MAX;       ///< the span in `chunk`
  bool chunk_ok = false;
  std::string chunk_buf;  ///< open_file: the loaded chunk
  std::string_view chunk;
  binxml::ChunkDecoder decoder;
  std::size_t fast_count = 0;

  ~Impl() { close(); }

  /// The chunk at file offset `at` (64 KiB), or an empty view.
  std::string_view load(std::uint64_t at) {
    if (stream == nullptr) {
      if (at > memory_size || memory_size - at < binxml::kChunkSize) return {};
      return std::string_view(bytes).substr(static_cast<std::size_t>(at), binxml::kChunkSize);
    }
    chunk_buf.resize(binxml::kChunkSize);
    if (std::fseek(stream, static_cast<long>(at), SEEK_SET) != 0 ||
        std::fread(chunk_buf.data(), 1, chunk_buf.size(), stream) != chunk_buf.size())
      return {};
    return chunk_buf;
  }

  /// Lists the allocated records chunk by chunk; the fast path is used when
  /// the list agrees with libevtx's.
  void index_records() {
    std::uint64_t size = memory_size;
    if (stream != nullptr) {
      if (std::fseek(stream, 0, SEEK_END) != 0) return;
      const long end = std::ftell(stream);
      if (end < 0) return;
      size = static_cast<std::uint64_t>(end);
    }
    std::vector<std::uint16_t> in_chunk;
    for (std::uint64_t at = binxml::kFileHeaderSize; at + binxml::kChunkSize <= size;
         at += binxml::kChunkSize) {
      const std::string_view c = load(at);
      if (c.empty()) return;
      binxml::list_records(c, in_chunk);
      if (in_chunk.empty()) continue;
      spans.push_back(Span{at, offsets.size(), in_chunk.size()});
      offsets.insert(offsets.end(), in_chunk.begin(), in_chunk.end());
    }
    fast_ok = !is_corrupted && offsets.size() == static_cast<std::size_t>(allocated);
  }

  /// Allocated record `index` through the fast path: false when it declines.
  bool read_fast(std::size_t index, ParseResult& out, std::uint64_t* id) {
    if (!fast || !fast_ok) return false;
    while (span < spans.size() && index >= spans[span].first + spans[span].count) ++span;
    if (span >= spans.size() || index < spans[span].first) return false;
    if (loaded != span) {
      loaded = span;
      chunk = load(spans[span].at);
      chunk_ok = !chunk.empty();
      if (chunk_ok) decoder.set_chunk(chunk);
    }
    return chunk_ok && decoder.decode(offsets[index], out, id);
  }

  void close() noexcept {
    libevtx_error_t* err = nullptr;
    if (file != nullptr) {
      libevtx_file_close(file, &err);
      libevtx_error_free(&err);
      libevtx_file_free(&file, &err);
      libevtx_error_free(&err);
      file = nullptr;
    }
    if (memory != nullptr) {
      libbfio_error_t* berr = nullptr;
      libbfio_handle_free(&memory, &berr);
      libbfio_error_free(&berr);
      memory = nullptr;
    }
    if (stream != nullptr) {
      std::fclose(stream);
      stream = nullptr;
    }
    bytes.clear();
    bytes.shrink_to_fit();
    allocated = recoverable = next_index = 0;
    is_corrupted = corruption_reported = false;
    seen.clear();
    fast_ok = chunk_ok = false;
    memory_size = span = fast_count = 0;
    loaded = SIZE_MAX;
    spans.clear();
    spans.shrink_to_fit();
    offsets.clear();
    offsets.shrink_to_fit();
    chunk = {};
    decoder.set_chunk({});
  }

  /// After libevtx opened the file: the counts and the corruption flag.
  bool start(std::string* error) {
    libevtx_error_t* err = nullptr;
    if (libevtx_file_get_number_of_records(file, &allocated, &err) != 1) {
      if (error != nullptr) *error = "cannot count records: " + evtx_error(err, "libevtx error");
      close();
      return false;
    }
    if (libevtx_file_get_number_of_recovered_records(file, &recoverable, &err) != 1) {
      libevtx_error_free(&err);
      recoverable = 0;
    }
    if (allocated < 0) allocated = 0;
    if (recoverable < 0) recoverable = 0;
    const int corrupted = libevtx_file_is_corrupted(file, &err);
    libevtx_error_free(&err);
    is_corrupted = corrupted == 1;
    index_records();
    return true;
  }

  /// Creates the libevtx file object; false (and *error) when it cannot.
  bool create(std::string* error) {
    close();
    libevtx_error_t* err = nullptr;
    if (libevtx_file_initialize(&file, &err) != 1) {
      if (error != nullptr) *error = "libevtx: " + evtx_error(err, "cannot initialize");
      file = nullptr;
      return false;
    }
    return true;
  }
};

EvtxReader::EvtxReader() : impl_(std::make_unique<Impl>()) {}
EvtxReader::~EvtxReader() = default;
EvtxReader::EvtxReader(EvtxReader&&) noexcept = default;
EvtxReader& EvtxReader::operator=(EvtxReader&&) noexcept = default;

void EvtxReader::set_read_recovered(bool on) noexcept {
  if (impl_) impl_->read_recovered = on;
}

void EvtxReader::set_fast_path(bool on) noexcept {
  if (impl_) impl_->fast = on;
}

bool EvtxReader::open_file(const std::string& path, std::string* error) {
  if (!impl_) impl_ = std::make_unique<Impl>();
  impl_->close();
  // The signature first, for a clear message on a file that is not EVTX.
  {
    std::FILE* f = std::fopen(path.c_str(), "rb");
    if (f == nullptr) {
      if (error != nullptr) *error = std::string("cannot open: ") + std::strerror(errno);
      return false;
    }
    char head[8];
    const std::size_t n = std::fread(head, 1, sizeof head, f);
    std::fclose(f);
    if (!looks_like_evtx(std::string_view(head, n))) {
      if (error != nullptr) *error = "not an EVTX file (no \"ElfFile\" signature)";
      return false;
    }
  }
  if (!impl_->create(error)) return false;
  libevtx_error_t* err = nullptr;
  if (libevtx_file_open(impl_->file, path.c_str(), libevtx_get_access_flags_read(), &err) != 1) {
    if (error != nullptr) *error = "unreadable EVTX file: " + evtx_error(err, "libevtx error");
    impl_->close();
    return false;
  }
  // The fast path's own handle on the file (without it, libevtx reads all).
  impl_->stream = std::fopen(path.c_str(), "rb");
  if (impl_->stream != nullptr) std::setvbuf(impl_->stream, nullptr, _IONBF, 0);
  return impl_->start(error);
}

bool EvtxReader::open_memory(std::string_view bytes, std::string* error) {
  if (!impl_) impl_ = std::make_unique<Impl>();
  impl_->close();
  if (!looks_like_evtx(bytes)) {
    if (error != nullptr) *error = "not an EVTX file (no \"ElfFile\" signature)";
    return false;
  }
  if (!impl_->create(error)) return false;
  libbfio_error_t* berr = nullptr;
  if (libbfio_memory_range_initialize(&impl_->memory, &berr) != 1) {
    if (error != nullptr) *error = "libbfio: " + bfio_error(berr, "cannot initialize");
    impl_->memory = nullptr;
    impl_->close();
    return false;
  }
  // libbfio 20181227 copies the whole requested size when a read crosses the
  // end of a memory range (it returns the shorter count, but memcpy reads
  // past the end: a heap overflow on a truncated file). libevtx reads at most
  // one 64 KiB chunk at a time, so a copy followed by that many zeros keeps
  // every read inside memory we own, and libevtx still sees the real size.
  impl_->bytes.reserve(bytes.size() + kMaxRead);
  impl_->bytes.assign(bytes);
  impl_->bytes.resize(bytes.size() + kMaxRead, '\0');
  impl_->memory_size = bytes.size();
  auto* start = reinterpret_cast<std::uint8_t*>(impl_->bytes.data());
  if (libbfio_memory_range_set(impl_->memory, start, bytes.size(), &berr) != 1) {
    if (error != nullptr) *error = "libbfio: " + bfio_error(berr, "cannot set memory range");
    impl_->close();
    return false;
  }
  libevtx_error_t* err = nullptr;
  if (libevtx_file_open_file_io_handle(impl_->file, impl_->memory, libevtx_get_access_flags_read(),
                                       &err) != 1) {
    if (error != nullptr) *error = "unreadable EVTX data: " + evtx_error(err, "libevtx error");
    impl_->close();
    return false;
  }
  return impl_->start(error);
}

void EvtxReader::close() noexcept {
  if (impl_) impl_->close();
}

bool EvtxReader::next(ParseResult& out, std::uint64_t* record_number, bool* recovered_out) {
  if (!impl_ || impl_->file == nullptr) return false;
  Impl& s = *impl_;
  if (record_number != nullptr) *record_number = 0;
  if (recovered_out != nullptr) *recovered_out = false;
  if (s.is_corrupted && !s.corruption_reported) {
    s.corruption_reported = true;
    out = record_error("file is truncated or corrupted: libevtx could not read every chunk (" +
                       std::to_string(s.allocated) + " records readable)");
    return true;
  }
  const int total = s.allocated + (s.read_recovered ? s.recoverable : 0);
  while (s.next_index < total) {
    const int i = s.next_index++;
    const bool is_recovered = i >= s.allocated;
    const int index = is_recovered ? i - s.allocated : i;
    if (!is_recovered) {
      std::uint64_t id = 0;
      if (s.read_fast(static_cast<std::size_t>(index), out, &id)) {
        ++s.fast_count;
        s.seen.insert(id);
        finish(out);
        if (record_number != nullptr) *record_number = id;
        return true;
      }
    }
    libevtx_record_t* record = nullptr;
    libevtx_error_t* err = nullptr;
    const int got = is_recovered
                        ? libevtx_file_get_recovered_record_by_index(s.file, index, &record, &err)
                        : libevtx_file_get_record_by_index(s.file, index, &record, &err);
    const std::string where = std::string(is_recovered ? "recovered record " : "record ") +
                              "at index " + std::to_string(index) + ": ";
    if (got != 1 || record == nullptr) {
      std::string why = evtx_error(err, "libevtx error");
      // The free space libevtx scans for recovered records mostly holds
      // fragments: one that does not parse is no finding, skipped quietly.
      if (is_recovered) continue;
      out = record_error(where + why);
      return true;
    }
    std::uint64_t id = 0;
    const bool have_id = libevtx_record_get_identifier(record, &id, &err) == 1;
    libevtx_error_free(&err);
    if (is_recovered && have_id && s.seen.count(id) != 0) {
      // A stale copy of a record that is still allocated.
      libevtx_record_free(&record, &err);
      libevtx_error_free(&err);
      continue;
    }
    if (!is_recovered && have_id) s.seen.insert(id);
    // libevtx computes the XML's size by rendering it: asking for the size
    // first costs a second rendering (a third of the time per record). The
    // record is rendered into the reused buffer at once; only when it does
    // not fit is the size asked for.
    std::string failure;
    std::size_t length = 0;
    if (s.xml.size() < kFirstXmlBuffer) s.xml.resize(kFirstXmlBuffer);
    auto* buf = reinterpret_cast<std::uint8_t*>(s.xml.data());
    if (libevtx_record_get_utf8_xml_string(record, buf, s.xml.size(), &err) == 1) {
      length = strnlen(s.xml.data(), s.xml.size());
    } else {
      libevtx_error_free(&err);
      std::size_t size = 0;
      if (libevtx_record_get_utf8_xml_string_size(record, &size, &err) != 1) {
        failure = where + "cannot render as XML: " + evtx_error(err, "libevtx error");
      } else if (size > kMaxXml) {
        failure = where + "XML larger than 16 MiB";
      } else if (size <= s.xml.size()) {
        failure = where + "cannot render as XML";  // it fits, yet failed
      } else {
        s.xml.resize(size);
        buf = reinterpret_cast<std::uint8_t*>(s.xml.data());
        if (libevtx_record_get_utf8_xml_string(record, buf, size, &err) != 1)
          failure = where + "cannot render as XML: " + evtx_error(err, "libevtx error");
        else
          length = strnlen(s.xml.data(), size);
      }
    }
    if (failure.empty() && length == 0) failure = where + "empty XML";
    libevtx_record_free(&record, &err);
    libevtx_error_free(&err);
    if (is_recovered && !failure.empty()) continue;
    if (!failure.empty()) {
      out = record_error(std::move(failure));
    } else {
      out = s.parser.parse_line(std::string_view(s.xml.data(), length));
      // libevtx renders a recovered record whose template is gone as broken
      // XML ("<>", stray bytes): a fragment as well.
      if (is_recovered && out.kind == ParseKind::kError) continue;
      finish(out);
    }
    if (record_number != nullptr && have_id) *record_number = id;
    if (recovered_out != nullptr) *recovered_out = is_recovered;
    return true;
  }
  return false;
}

std::size_t EvtxReader::records() const noexcept {
  return impl_ ? static_cast<std::size_t>(impl_->allocated) : 0;
}

std::size_t EvtxReader::recovered() const noexcept {
  return impl_ ? static_cast<std::size_t>(impl_->recoverable) : 0;
}

bool EvtxReader::corrupted() const noexcept {
  return impl_ && impl_->is_corrupted;
}

std::size_t EvtxReader::fast_records() const noexcept {
  return impl_ ? impl_->fast_count : 0;
}

}  // namespace ioc::events
