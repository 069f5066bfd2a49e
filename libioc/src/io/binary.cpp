// Binary inputs: detection, and their printable runs and UTF-16LE strings.
#include "ioc/io/binary.hpp"

#include <algorithm>
#include <array>
#include <cstring>

namespace ioc::io {
namespace {

constexpr bool printable_ascii(unsigned char c) {
  return (c >= 0x20 && c < 0x7f) || c == '\t';
}

// Byte classes for the fast paths of feed().
enum : unsigned char { kNone, kAscii, kLead };
constexpr auto kClass = [] {
  std::array<unsigned char, 256> t{};
  for (int c = 0; c < 256; ++c) {
    const auto b = static_cast<unsigned char>(c);
    t[b] = printable_ascii(b) ? kAscii : (b >= 0xC2 && b <= 0xF4) ? kLead : kNone;
  }
  return t;
}();

}  // namespace

bool looks_binary(std::string_view first_block) noexcept {
  return std::memchr(first_block.data(), '\0', first_block.size()) != nullptr;
}

StringsFinder::StringsFinder(StringsOptions options) : opt_(options) {
  if (opt_.max_len == 0) opt_.max_len = 1;
}

void StringsFinder::start_run(std::uint64_t at) {
  in_run_ = true;
  run_tail_ = false;
  run_start_ = commit_ = at;
  run_line_ = newlines_ + 1;
  pending_.clear();
}

// The run's bytes [run_start_, end); `chunk` is the chunk being fed (at offset_).
std::string_view StringsFinder::run_text(std::uint64_t end, std::string_view chunk) {
  if (run_start_ >= offset_)
    return chunk.substr(static_cast<std::size_t>(run_start_ - offset_),
                        static_cast<std::size_t>(end - run_start_));
  if (end > offset_) pending_.append(chunk.data(), static_cast<std::size_t>(end - offset_));
  return std::string_view(pending_).substr(0, static_cast<std::size_t>(end - run_start_));
}

// A character [begin, end) of the run is complete. A run that would grow past
// max_len is handed out up to the character, which starts the next piece.
bool StringsFinder::char_done(std::uint64_t begin, std::uint64_t end, std::string_view chunk,
                              const Callback& out) {
  if (end - run_start_ > opt_.max_len && begin > run_start_) {
    const BinaryString piece{run_text(begin, chunk), run_start_, run_line_, false, true};
    if (!out(piece)) return false;
    if (begin < offset_)
      pending_.erase(0, static_cast<std::size_t>(begin - run_start_));
    else
      pending_.clear();
    run_start_ = begin;
    run_tail_ = true;
  }
  commit_ = end;
  return true;
}

// The run ends after its last whole character (an unfinished UTF-8 sequence
// is not part of it).
bool StringsFinder::end_run(std::string_view chunk, const Callback& out) {
  in_run_ = false;
  need_ = 0;
  lo_ = 0x80;
  hi_ = 0xBF;
  const std::uint64_t len = commit_ - run_start_;
  bool go_on = true;
  if (len >= opt_.min_run || (run_tail_ && len > 0)) {
    const BinaryString s{run_text(commit_, chunk), run_start_, run_line_, false, false};
    go_on = out(s);
  }
  pending_.clear();
  run_tail_ = false;
  return go_on;
}

bool StringsFinder::emit_wide(bool continued, const Callback& out) {
  const BinaryString s{wide_, wide_start_, wide_line_, true, continued};
  if (!out(s)) return false;
  wide_tail_ = continued;
  wide_.clear();
  return true;
}

bool StringsFinder::end_wide(const Callback& out) {
  bool go_on = true;
  if (wide_.size() >= opt_.min_run || (wide_tail_ && !wide_.empty())) go_on = emit_wide(false, out);
  wide_.clear();
  wide_tail_ = false;
  return go_on;
}

// The UTF-16LE automaton: pairs of a printable byte and a NUL. A pair that
// fails ends the candidate, and its second byte may start the next one (so
// strings are found at odd and even offsets, as find_wide_strings finds them).
bool StringsFinder::wide_byte(unsigned char c, std::uint64_t at, const Callback& out) {
  if (have_low_) {
    have_low_ = false;
    if (c == 0) {
      wide_ += low_;
      return wide_.size() < opt_.max_len || emit_wide(true, out);
    }
    if (!end_wide(out)) return false;
  }
  if (printable_ascii(c)) {
    if (wide_.empty()) {
      wide_start_ = at;
      wide_line_ = newlines_ + 1;
    }
    have_low_ = true;
    low_ = static_cast<char>(c);
    return true;
  }
  return end_wide(out);
}

// The printable-run automaton, one byte at a time.
bool StringsFinder::run_byte(unsigned char c, std::uint64_t at, std::string_view chunk,
                             const Callback& out) {
  if (need_ > 0) {
    if (c >= lo_ && c <= hi_) {
      lo_ = 0x80;
      hi_ = 0xBF;
      return --need_ > 0 || char_done(commit_, at + 1, chunk, out);
    }
    if (!end_run(chunk, out)) return false;  // a broken sequence; `c` is looked at again
  }
  if (printable_ascii(c)) {
    if (!in_run_) start_run(at);
    return char_done(at, at + 1, chunk, out);
  }
  if (c >= 0xC2 && c <= 0xF4) {  // a UTF-8 lead byte (commit_ == at)
    if (!in_run_) start_run(at);
    need_ = c < 0xE0 ? 1 : c < 0xF0 ? 2 : 3;
    lo_ = c == 0xE0 ? 0xA0 : c == 0xF0 ? 0x90 : 0x80;  // no overlong forms
    hi_ = c == 0xED ? 0x9F : c == 0xF4 ? 0x8F : 0xBF;  // no surrogates, nothing past U+10FFFF
    return true;
  }
  return !in_run_ || end_run(chunk, out);
}

bool StringsFinder::feed(std::string_view bytes, const Callback& out) {
  const auto* p = reinterpret_cast<const unsigned char*>(bytes.data());
  const std::size_t n = bytes.size();
  std::size_t k = 0;
  while (k < n) {
    // Fast paths, where a stretch of bytes only moves the state along: bytes
    // that start nothing, or too short an ASCII run, outside a run; printable
    // ASCII inside one.
    if (need_ == 0 && !in_run_ && (!opt_.wide || (!have_low_ && wide_.empty() && !wide_tail_))) {
      while (k < n) {
        const unsigned char cls = kClass[p[k]];
        if (cls == kNone) {
          if (p[k] == '\n') ++newlines_;
          ++k;
          continue;
        }
        if (cls == kLead) break;
        std::size_t j = k + 1;
        while (j < n && kClass[p[j]] == kAscii) ++j;
        // Ended by a byte that ends runs (and, with `wide`, is no NUL, which
        // would pair with the last byte): nothing to keep.
        if (j == n || j - k >= opt_.min_run || kClass[p[j]] != kNone || (opt_.wide && p[j] == 0))
          break;
        k = j;
      }
      if (k == n) break;
    } else if (need_ == 0 && in_run_ &&
               (!opt_.wide || (have_low_ && wide_.empty() && !wide_tail_))) {
      // commit_ is offset_ + k; the run may take `room` more bytes before a cut.
      const std::uint64_t room = opt_.max_len - (commit_ - run_start_);
      const std::size_t limit = k + static_cast<std::size_t>(std::min<std::uint64_t>(room, n - k));
      std::size_t j = k;
      while (j < limit && kClass[p[j]] == kAscii) ++j;
      if (j > k) {
        commit_ = offset_ + j;
        if (opt_.wide) {  // each byte failed the previous one's pair and waits for its NUL
          low_ = static_cast<char>(p[j - 1]);
          wide_start_ = offset_ + j - 1;
          wide_line_ = newlines_ + 1;
        }
        k = j;
        if (k == n) break;
      }
    }
    const unsigned char c = p[k];
    const std::uint64_t at = offset_ + k;
    if (!run_byte(c, at, bytes, out)) return false;
    if (opt_.wide && !wide_byte(c, at, out)) return false;
    if (c == '\n') ++newlines_;
    ++k;
  }
  // Keep the open run's bytes of this chunk for the next one.
  if (in_run_) {
    const std::uint64_t from = std::max(run_start_, offset_);
    pending_.append(bytes.data() + (from - offset_), static_cast<std::size_t>(offset_ + n - from));
  }
  offset_ += n;
  return true;
}

bool StringsFinder::finish(const Callback& out) {
  have_low_ = false;  // a last byte without its NUL is no pair
  if (opt_.wide && !end_wide(out)) return false;
  return !in_run_ || end_run({}, out);
}

}  // namespace ioc::io
