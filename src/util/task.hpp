#pragma once
// The coroutine type of every asynchronous function of the service. Only <boost/asio/awaitable.hpp>
// is pulled in here, so code that awaits (handlers, repositories) does not include all of Asio.
#include <boost/asio/awaitable.hpp>

namespace utxoiq {

template <typename T = void>
using Task = boost::asio::awaitable<T>;

}  // namespace utxoiq
