#pragma once
// One Prometheus text exposition (format 0.0.4) out of several workers' (`serve --workers N`,
// docs/architecture.md "Worker processes"): every sample gets the label worker="<i>" of the
// worker it came from, unless it already has a `worker` label (utxoiq_worker_info), which is kept
// as is. The format requires each family's lines to be contiguous under one HELP and one TYPE
// line, so families are regrouped, in name order; a histogram's _bucket/_sum/_count samples stay
// in their family. Pure text in, text out: no I/O.
#include <span>
#include <string>

namespace utxoiq::obs {

struct WorkerExposition {
  int worker = 0;    // the label value given to its samples
  std::string text;  // one worker's exposition, as Registry::expose() writes it
};

// Lines that are not comments, HELP, TYPE or well-formed samples (a truncated read, garbage) are
// left out; they never make the merge fail. The first HELP and TYPE seen for a family win.
std::string merge_expositions(std::span<const WorkerExposition> inputs);

}  // namespace utxoiq::obs
