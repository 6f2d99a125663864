// See large_allocations.hpp.
#include "app/large_allocations.hpp"

#include <malloc.h>

namespace utxoiq::app {

void return_large_allocations_to_the_system() {
  // A fixed M_MMAP_THRESHOLD also turns off the dynamic adjustment (and that of M_TRIM_THRESHOLD).
  mallopt(M_MMAP_THRESHOLD, kMmapThreshold);
}

}  // namespace utxoiq::app
