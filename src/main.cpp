// utxoiq-store: one program, several commands (serve, migrate, ...). See README.md.
#include "app/cli.hpp"

int main(int argc, char** argv) {
  return utxoiq::app::run_cli(argc, argv);
}
