#pragma once
// Applies the GFS selection (gfs_retention.hpp) to the catalogue: the files of every succeeded
// backup it gives up are removed from the mirror first, then from the backup directory, and only
// then is the row marked deleted; a removal that fails stops there and leaves that backup listed.
#include <string>
#include <vector>

#include "util/time.hpp"

namespace utxoiq::pg {
class BlockingConnection;
}

namespace utxoiq::ops {

struct BackupSettings;

// The ids deleted. Throws BackupFailure (stage retention) when a file cannot be removed.
std::vector<std::string> apply_retention(pg::BlockingConnection& catalog,
                                         const BackupSettings& settings, Timestamp now);

}  // namespace utxoiq::ops
