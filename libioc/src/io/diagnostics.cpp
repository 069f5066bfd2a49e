// Per-record messages, counts and the grep-like exit code.
#include "ioc/io/diagnostics.hpp"

#include <iostream>
#include <ostream>
#include <utility>

#include "ioc/io/output.hpp"

namespace ioc::io {

Diagnostics::Diagnostics(std::string tool, std::string ok_verb)
    : Diagnostics(std::move(tool), std::move(ok_verb), std::cerr) {}

Diagnostics::Diagnostics(std::string tool, std::string ok_verb, std::ostream& err)
    : tool_(std::move(tool)), ok_verb_(std::move(ok_verb)), err_(&err) {}

void Diagnostics::emit(std::string_view prefix, std::string_view message) {
  // One write per message, so that messages of concurrent tools do not interleave
  // mid-line. Messages quote input, so control bytes are escaped.
  std::string text;
  text.reserve(tool_.size() + prefix.size() + message.size() + 5);
  if (!tool_.empty()) {
    text += tool_;
    text += ": ";
  }
  if (!prefix.empty()) {
    text += escape_for_terminal(prefix);
    text += ": ";
  }
  text += escape_for_terminal(message);
  text += '\n';
  err_->write(text.data(), static_cast<std::streamsize>(text.size()));
  err_->flush();
}

void Diagnostics::warning(const Source& source, std::string_view message) {
  ++warnings_;
  if (!quiet_) emit(source.to_string(), message);
}

void Diagnostics::record_error(const Source& source, std::string_view message) {
  ++failed_;
  if (!quiet_) emit(source.to_string(), message);
}

void Diagnostics::io_error(std::string_view message) {
  hard_error_ = true;
  emit({}, message);
}

void Diagnostics::usage_error(std::string_view message) {
  hard_error_ = true;
  emit({}, message);
}

void Diagnostics::note(std::string_view message) {
  emit({}, message);
}

std::string Diagnostics::summary() const {
  std::string s = "read " + std::to_string(read_) + ", " + ok_verb_ + " " + std::to_string(ok_) +
                  ", failed " + std::to_string(failed_);
  if (warnings_ > 0) s += ", warnings " + std::to_string(warnings_);
  return s;
}

void Diagnostics::print_summary() {
  emit({}, summary());
}

int Diagnostics::exit_code() const noexcept {
  if (hard_error_) return 2;
  return ok_ > 0 ? 0 : 1;
}

}  // namespace ioc::io
