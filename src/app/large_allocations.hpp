#pragma once
// Large buffers (request bodies, response pages) go back to the system when freed, so the
// service's memory returns to its baseline after a burst of large requests (issue 10).
namespace utxoiq::app {

// glibc raises its mmap threshold each time a large mmapped block is freed (up to 32 MiB), after
// which such blocks come from the heap and their pages stay with the process. A fixed threshold
// keeps every block of at least kMmapThreshold bytes mmapped (unmapped when freed). 4 MiB: the
// usual large buffers (a 10,000-point batch body of 1–2 MiB, a page of up to 4 MiB) stay on the
// heap, where they are reused without page faults; anything larger (a 16 MiB body) goes back.
// Call once, before the service allocates.
inline constexpr int kMmapThreshold = 4 * 1024 * 1024;
void return_large_allocations_to_the_system();

}  // namespace utxoiq::app
