// ioc/ioc/refang.hpp — undo the defanging analysts apply to indicators, and apply it.
//
//   Refanged r;
//   refang("hxxps://evil[.]com/x and bob[at]evil(.)com", {}, r);
//   r.text   == "https://evil.com/x and bob@evil.com"
//   r.raw_offset(8) == 8 (the 'e' of evil), r.changed(0, 17) == true
//
// Understood (case-insensitive where letters): [.] (.) {.} [dot] (dot) {dot} with
// optional inner spaces, \. between host characters, half brackets "1.1.1[.1" and
// "evil.]com", full-width U+FF0E, ideographic U+3002 and halfwidth U+FF61 full stops
// between host characters; hxxp hXXp hxxps h**p h__p fxp and [http] [https] [ftp]
// before ":" or "["; [:] [://] [/]; ":\\" after a scheme; [@] (@) {@} [at] (at) {at}.
// With `loose`, also unbracketed " at " and " dot " between host characters (off by
// default: "hosted at evil.com" is prose, not an e-mail address).
//
// The output keeps a map back to raw offsets so that every hit can report its raw
// text. Work and output are linear in the input.
#pragma once

#include <algorithm>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "ioc/ioc/types.hpp"

namespace ioc::scan {

struct RefangOptions {
  bool loose = false;
};

struct Refanged {
  /// A replaced region: text[begin, end) stands for raw[raw_begin, raw_end).
  struct Change {
    std::uint32_t begin, end;
    std::uint32_t raw_begin, raw_end;
    friend bool operator==(const Change&, const Change&) = default;
  };
  std::string text;
  /// The replaced regions, in order.
  std::vector<Change> changes;

  /// The raw offset of text[i]; the raw size for i == text.size(). Byte k of a
  /// replacement maps to byte k of the bytes it replaced (the last of them when
  /// the replacement is longer).
  std::size_t raw_offset(std::size_t i) const;
  /// True when [begin, end) of text overlaps a replaced region.
  bool changed(std::size_t begin, std::size_t end) const;

  /// raw_offset and changed for positions that come mostly in order, as the
  /// hits of a text do: each call walks from where the last one stopped
  /// instead of searching all changes.
  class Cursor {
   public:
    explicit Cursor(const Refanged& r) : r_(&r) {}

    std::size_t raw_offset(std::size_t i) { return raw_at(seek(i), i); }

    bool changed(std::size_t begin, std::size_t end) {
      const std::size_t k = seek(begin);
      return k < r_->changes.size() && r_->changes[k].begin < end;
    }

    /// All three for the span [begin, end): its raw begin and end, and whether
    /// it overlaps a change. The cursor stays at `begin`.
    bool map(std::size_t& begin, std::size_t& end) {
      const std::vector<Change>& c = r_->changes;
      // Most spans lie between the changes the cursor stands at, where raw
      // offsets are text offsets plus what the changes before took away.
      if ((k_ == c.size() || end <= c[k_].begin) && (k_ == 0 || c[k_ - 1].end <= begin)) {
        const std::size_t shift = k_ == 0 ? 0 : c[k_ - 1].raw_end - c[k_ - 1].end;
        begin += shift;
        end += shift;
        return false;
      }
      const std::size_t k = seek(begin);
      const bool overlaps = k < c.size() && c[k].begin < end;
      std::size_t k_end = k;  // seek(end), from here: end >= begin
      while (k_end < c.size() && c[k_end].end <= end) ++k_end;
      begin = raw_at(k, begin);
      end = raw_at(k_end, end);
      return overlaps;
    }

   private:
    // The raw offset of i when change k is the first that ends after it: i is
    // inside change k, or after change k - 1.
    std::size_t raw_at(std::size_t k, std::size_t i) const {
      const std::vector<Change>& c = r_->changes;
      if (k < c.size() && c[k].begin <= i)
        return c[k].raw_begin +
               std::min<std::size_t>(i - c[k].begin, c[k].raw_end - c[k].raw_begin - 1);
      if (k == 0) return i;
      return c[k - 1].raw_end + (i - c[k - 1].end);
    }

    // The first change that ends after i (changes.size() when none does).
    std::size_t seek(std::size_t i) {
      const std::vector<Change>& c = r_->changes;
      while (k_ > 0 && c[k_ - 1].end > i) --k_;
      while (k_ < c.size() && c[k_].end <= i) ++k_;
      return k_;
    }

    const Refanged* r_;
    std::size_t k_ = 0;
  };
};

/// Refangs `raw` (at most 4 GiB - 1) into `out`. Returns false, leaving `out`
/// cleared, when nothing needed refanging (the common case: no copy is made).
bool refang(std::string_view raw, const RefangOptions& options, Refanged& out);

/// Convenience: the refanged text ("" -> "").
std::string refang_text(std::string_view raw, const RefangOptions& options = {});

/// The defanged form of a canonical value, for tickets and mail: "http" ->
/// "hxxp", "." -> "[.]" in hosts and addresses, "@" -> "[@]"; IPv6 ":" -> "[:]".
/// Hashes and other non-network types are returned unchanged.
std::string defang(Type type, std::string_view value);

}  // namespace ioc::scan
