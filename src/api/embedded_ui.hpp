#pragma once
// The dashboard's static files (ui/*, and Chart.js from Debian's libjs-chart.js), compiled into the
// binary by cmake/ui_assets.cmake so `GET /ui` needs no files next to the binary and loads nothing
// from the internet.
#include <span>
#include <string_view>

namespace utxoiq::api {

struct EmbeddedUiFile {
  std::string_view name;  // served as /ui/<name>, e.g. "app.js"
  std::string_view content;
};

// Every embedded file, in name order.
std::span<const EmbeddedUiFile> embedded_ui_files();

}  // namespace utxoiq::api
