#include "ioc/io/paths.hpp"

#include <algorithm>
#include <filesystem>

namespace ioc::io {

std::vector<std::string> expand_paths(const std::vector<std::string>& args, bool recursive,
                                      Diagnostics& diag, std::string_view hint) {
  namespace fs = std::filesystem;
  std::vector<std::string> out;
  for (const std::string& arg : args) {
    std::error_code ec;
    if (arg == "-" || !fs::is_directory(arg, ec)) {
      out.push_back(arg);
      continue;
    }
    if (!recursive) {
      diag.io_error(arg + ": is a directory (" + std::string(hint) + ")");
      continue;
    }
    std::vector<std::string> files;
    fs::recursive_directory_iterator it(arg, fs::directory_options::skip_permission_denied, ec);
    for (const fs::recursive_directory_iterator end; !ec && it != end; it.increment(ec)) {
      std::error_code fec;
      if (it->is_regular_file(fec)) files.push_back(it->path().string());
    }
    if (ec) diag.io_error(arg + ": " + ec.message());
    std::sort(files.begin(), files.end());
    out.insert(out.end(), files.begin(), files.end());
  }
  return out;
}

}  // namespace ioc::io
