// Pretty-printed and array-wrapped JSON to one record per event: see
// ioc/events/record_assembler.hpp.
#include "ioc/events/record_assembler.hpp"

#include <cstring>

namespace ioc::events {
namespace {

bool is_space(char c) noexcept {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v';
}

/// Whether the character at `k` is escaped: an odd run of backslashes right
/// before it, counting `carry` (a backslash left open by the previous line)
/// when the run reaches back to `from`, where the string text of this line
/// began.
bool escaped_at(std::string_view line, std::size_t k, std::size_t from, bool carry) noexcept {
  std::size_t run = 0;
  while (k - run > from && line[k - run - 1] == '\\') ++run;
  if (k - run == from && carry) ++run;
  return (run & 1) != 0;
}

std::string_view strip_bom(std::string_view s) noexcept {
  if (s.size() >= 3 && s.substr(0, 3) == "\xEF\xBB\xBF") s.remove_prefix(3);
  return s;
}

}  // namespace

void RecordAssembler::reset_object() {
  buffer_.clear();
  in_object_ = false;
  skipping_ = false;
  depth_ = 0;
  in_string_ = false;
  escape_ = false;
}

void RecordAssembler::feed(std::string_view line, std::uint64_t line_no, const RecordFn& on_record,
                           const ErrorFn& on_error) {
  if (!in_object_ && !in_array_) {
    // Not inside JSON: pass through anything that does not start a JSON value.
    std::string_view t = strip_bom(line);
    std::size_t i = 0;
    while (i < t.size() && is_space(t[i])) ++i;
    if (i == t.size() || (t[i] != '{' && t[i] != '[')) {
      on_record(line, line_no);
      return;
    }
    line = t;
  }
  std::size_t start = 0;  // where the current object began in this line
  for (std::size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (!in_object_) {
      if (is_space(c)) continue;
      if (c == '{') {
        in_object_ = true;
        depth_ = 1;
        first_line_ = line_no;
        start = i;
        continue;
      }
      if (in_array_ && c == ',') continue;
      if (in_array_ && c == ']') {
        in_array_ = false;
        continue;
      }
      if (!in_array_ && c == '[') {
        in_array_ = true;
        continue;
      }
      on_error(in_array_ ? "JSON array element is not an object"
                         : "text after a JSON object on the same line",
               line_no);
      // Drop the rest of the line; an array stays open for its next element.
      return;
    }
    if (in_string_) {
      // Jump to the next quote: it ends the string unless escaped. Most of a
      // JSON record is inside strings, so this is where the time goes.
      std::size_t from = i;
      for (;;) {
        const void* q = std::memchr(line.data() + from, '"', line.size() - from);
        if (q == nullptr) {
          // The string goes on past this line (broken input: JSON strings hold
          // no raw newline); remember whether the line ends in an escape.
          escape_ = escaped_at(line, line.size(), i, escape_);
          i = line.size();
          break;
        }
        const auto k = static_cast<std::size_t>(static_cast<const char*>(q) - line.data());
        if (escaped_at(line, k, i, escape_)) {
          from = k + 1;
          continue;
        }
        in_string_ = false;
        escape_ = false;
        i = k;  // the loop steps past the quote
        break;
      }
      continue;
    }
    if (c == '"') {
      in_string_ = true;
    } else if (c == '{' || c == '[') {
      ++depth_;
    } else if ((c == '}' || c == ']') && --depth_ == 0) {
      const std::string_view piece = line.substr(start, i + 1 - start);
      if (skipping_) {
        // the rest of an object already reported as too large
      } else if (buffer_.empty()) {
        on_record(piece, first_line_);  // one object on one line: no copy
      } else {
        buffer_.append(piece);
        on_record(buffer_, first_line_);
      }
      reset_object();
    }
  }
  if (in_object_ && !skipping_) {
    const std::string_view piece = line.substr(start);
    if (buffer_.size() + piece.size() + 1 > kMaxRecord) {
      on_error("JSON object longer than 16 MiB (skipped)", first_line_);
      buffer_.clear();
      buffer_.shrink_to_fit();
      skipping_ = true;
    } else {
      buffer_.append(piece);
      buffer_ += '\n';
    }
  }
}

void RecordAssembler::finish(const ErrorFn& on_error) {
  if (in_object_ && !skipping_)
    on_error("JSON object not closed at the end of the input", first_line_);
  reset_object();
  in_array_ = false;
}

}  // namespace ioc::events
