#pragma once
// Whether a request member or query parameter must be there.
namespace utxoiq::domain {

enum class Presence { required, optional };

}  // namespace utxoiq::domain
