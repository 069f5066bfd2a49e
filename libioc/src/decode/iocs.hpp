// Indicators from a peel's parsed fields (internal to decode).
#pragma once

#include "ioc/decode/peeler.hpp"

namespace ioc::decode {

/// Fills out.iocs from the framework fields, registry payload and persistence:
/// URLs and their hosts (ipv4 or domain), URIs, user agents, staging keys and
/// session cookies (session_key), registry keys. No duplicates; order of discovery.
void collect_iocs(Peeled& out);

}  // namespace ioc::decode
