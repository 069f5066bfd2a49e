// ioc/io/binary.hpp — binary inputs: detection, and the strings(1) view of them.
//
//   if (ioc::io::looks_binary(first_block)) { ... }      // a NUL byte in it
//
//   ioc::io::StringsFinder finder({.max_len = 1 << 20, .wide = true});
//   auto use = [&](const ioc::io::BinaryString& s) { return scan(s.text, s.offset, s.line); };
//   while (auto chunk = read_some())       // pieces of any size
//     if (!finder.feed(chunk, use)) break; // false: `use` returned false
//   finder.finish(use);
//
// The strings of a binary input are
//  * printable runs: maximal runs of printable ASCII (0x20-0x7E), tab and
//    well-formed UTF-8 sequences of two to four bytes (so internationalized
//    names survive; a byte >= 0x80 that is not part of one ends the run), at
//    least min_run bytes long;
//  * with `wide`, UTF-16LE strings: at least min_run characters of printable
//    ASCII or tab, each followed by a NUL byte, converted to ASCII. These are
//    exactly the strings ioc::scan::find_wide_strings finds in the whole input.
// Feeding the input in pieces of any size gives the same strings: a string
// that crosses a piece boundary is kept (copied) until it ends, never split or
// reported twice. A string longer than max_len bytes (characters for UTF-16LE
// strings) is handed out in pieces of at most max_len, each but the last with
// `continued` set; a printable run is only cut between characters. So memory
// stays below max_len + 4 bytes per kind of string, whatever the input.
//
// Each string carries the offset of its first byte in the input and its line:
// 1 + the number of '\n' bytes before it (neither kind contains a '\n').
// Strings are handed out in the order in which they end in the input.
//
// Lifetime: BinaryString::text is valid only during the callback.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "ioc/core/limits.hpp"

namespace ioc::io {

/// How much of an input is looked at to decide whether it is binary.
inline constexpr std::size_t kBinaryPeek = 32 * kKiB;

/// Whether `first_block` (the first kBinaryPeek bytes of an input, or all of a
/// shorter one) makes the input binary: it holds a NUL byte, as for GNU grep.
bool looks_binary(std::string_view first_block) noexcept;

struct StringsOptions {
  std::size_t min_run = 4;  ///< shortest string kept, in bytes (characters for UTF-16LE)
  std::size_t max_len = Limits{}.max_line;  ///< longer strings are handed out in pieces
  bool wide = false;                        ///< also UTF-16LE strings
};

struct BinaryString {
  std::string_view text;     ///< the run's bytes, or the UTF-16LE string as ASCII
  std::uint64_t offset = 0;  ///< of the string's (piece's) first byte in the input
  std::uint64_t line = 0;    ///< 1 + the number of '\n' bytes before it
  bool wide = false;         ///< UTF-16LE: spans 2 × text.size() bytes of the input
  bool continued = false;    ///< cut at max_len: more pieces of the same string follow
};

class StringsFinder {
 public:
  /// Gets each string; returning false stops feed() or finish().
  using Callback = std::function<bool(const BinaryString&)>;

  explicit StringsFinder(StringsOptions options = {});

  /// The next bytes of the input. Hands out every string that ended in them;
  /// false when the callback returned false (then the finder is spent).
  bool feed(std::string_view bytes, const Callback& out);
  /// End of input: hands out the strings still open. False as for feed().
  bool finish(const Callback& out);

  /// Bytes fed so far.
  std::uint64_t size() const noexcept { return offset_; }

 private:
  bool run_byte(unsigned char c, std::uint64_t at, std::string_view chunk, const Callback& out);
  void start_run(std::uint64_t at);
  bool char_done(std::uint64_t begin, std::uint64_t end, std::string_view chunk,
                 const Callback& out);
  bool end_run(std::string_view chunk, const Callback& out);
  std::string_view run_text(std::uint64_t end, std::string_view chunk);
  bool emit_wide(bool continued, const Callback& out);
  bool end_wide(const Callback& out);
  bool wide_byte(unsigned char c, std::uint64_t at, const Callback& out);

  StringsOptions opt_;
  std::uint64_t offset_ = 0;    // input offset of the current chunk's first byte
  std::uint64_t newlines_ = 0;  // '\n' bytes before the current byte

  // The printable run being read: [run_start_, commit_) holds whole characters;
  // an unfinished UTF-8 sequence starts at commit_. pending_ holds the bytes
  // [run_start_, offset_) of the run that came in earlier chunks.
  bool in_run_ = false;
  bool run_tail_ = false;  // a piece of this run was already handed out
  std::uint64_t run_start_ = 0;
  std::uint64_t run_line_ = 0;
  std::uint64_t commit_ = 0;
  std::string pending_;
  int need_ = 0;  // continuation bytes the UTF-8 sequence at commit_ still needs
  unsigned char lo_ = 0x80, hi_ = 0xBF;  // the range the next continuation byte must be in

  // The UTF-16LE candidate: the characters of its complete pairs so far.
  std::string wide_;
  std::uint64_t wide_start_ = 0;
  std::uint64_t wide_line_ = 0;
  bool wide_tail_ = false;  // a piece of this string was already handed out
  bool have_low_ = false;   // a printable byte waits for its NUL
  char low_ = 0;
};

}  // namespace ioc::io
