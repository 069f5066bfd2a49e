// The .evtx fast path (private to libioc): EVTX chunks and records read
// without libevtx, for the records EvtxReader can turn into a ParseResult
// straight from their binary XML. See evtx.cpp.
//
// A record is a template instance: a template (an XML skeleton, cached per
// chunk) and an array of substitution values. For each template a plan is
// made once: which substitution (or literal text) gives System/EventID,
// Provider@Name, Channel, Computer, TimeCreated@SystemTime and each
// EventData/Data[@Name]; a record then costs only the decoding of those
// values. The values are written as libevtx renders them and pugixml reads
// that XML back (EventReader's XML path), and the fields go to
// EventReader::from_fields, so the result is the one the libevtx path gives.
// Whatever the plan or a value does not cover exactly (another token, value
// type or layout, a control character, an embedded NUL, nested binary XML) is
// declined: the caller reads that record through libevtx.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string_view>
#include <vector>

#include "ioc/events/process_event.hpp"

namespace ioc::events::binxml {

inline constexpr std::size_t kFileHeaderSize = 4096;
inline constexpr std::size_t kChunkSize = 65536;

/// The allocated records of one chunk (64 KiB), in order: the offsets of
/// their headers as the record sizes chain them from offset 512 up to the
/// chunk's free-space offset. Empty for a block that is not a chunk.
void list_records(std::string_view chunk, std::vector<std::uint16_t>& offsets);

class ChunkDecoder {
 public:
  ChunkDecoder();
  ~ChunkDecoder();
  ChunkDecoder(ChunkDecoder&&) noexcept;
  ChunkDecoder& operator=(ChunkDecoder&&) noexcept;

  /// The chunk the next decode() calls read (64 KiB that outlive them); the
  /// templates of the last chunk are forgotten.
  void set_chunk(std::string_view chunk);
  /// The record whose header is at `offset` in the chunk: true with `out`
  /// (and *id, the record header's identifier) when the fast path reads it;
  /// false when libevtx must (`out` is then unspecified).
  bool decode(std::size_t offset, ParseResult& out, std::uint64_t* id);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace ioc::events::binxml
