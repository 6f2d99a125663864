// Splitting and joining libpq's host lists, and resolving names on Asio's resolver.
#include "pg/host_resolution.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <boost/asio/deferred.hpp>
#include <boost/asio/experimental/parallel_group.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "pg/errors.hpp"

namespace utxoiq::pg {

namespace {

std::vector<std::string> split(const std::string& text) {
  std::vector<std::string> parts;
  std::string current;
  for (const char c : text) {
    if (c == ',') {
      parts.push_back(std::move(current));
      current.clear();
    } else {
      current += c;
    }
  }
  parts.push_back(std::move(current));
  return parts;
}

std::string join(const std::vector<HostEntry>& entries, std::string HostEntry::*field) {
  std::string text;
  for (std::size_t i = 0; i < entries.size(); ++i) {
    if (i) text += ',';
    text += entries[i].*field;
  }
  return text;
}

void set(ConnectParams& params, const char* keyword, std::string value) {
  for (std::size_t i = 0; i < params.keywords.size(); ++i) {
    if (params.keywords[i] == keyword) {
      params.values[i] = std::move(value);
      return;
    }
  }
  params.keywords.emplace_back(keyword);
  params.values.push_back(std::move(value));
}

}  // namespace

std::vector<HostEntry> host_entries(const ConnectParams& params) {
  const std::string hosts = params.value_of("host");
  const std::string addresses = params.value_of("hostaddr");
  const std::string ports = params.value_of("port");
  if (hosts.empty() && addresses.empty()) return {};

  const auto host_list = split(hosts);
  const auto address_list = addresses.empty() ? std::vector<std::string>{} : split(addresses);
  const auto port_list = ports.empty() ? std::vector<std::string>{} : split(ports);
  const std::size_t count = hosts.empty() ? address_list.size() : host_list.size();

  std::vector<HostEntry> entries(count);
  for (std::size_t i = 0; i < count; ++i) {
    if (!hosts.empty()) entries[i].host = host_list[i];
    if (i < address_list.size()) entries[i].hostaddr = address_list[i];
    if (port_list.size() == 1) {
      entries[i].port = port_list[0];
    } else if (i < port_list.size()) {
      entries[i].port = port_list[i];
    }
  }
  return entries;
}

void set_host_entries(ConnectParams& params, const std::vector<HostEntry>& entries) {
  set(params, "host", join(entries, &HostEntry::host));
  set(params, "hostaddr", join(entries, &HostEntry::hostaddr));
  set(params, "port", join(entries, &HostEntry::port));
}

std::string host_label(const ConnectParams& params) {
  const auto entries = host_entries(params);
  if (entries.empty()) return "default socket";
  std::string label;
  for (const HostEntry& entry : entries) {
    if (!label.empty()) label += ',';
    label += entry.host.empty() ? entry.hostaddr : entry.host;
    label += ':';
    label += entry.port.empty() ? "5432" : entry.port;
  }
  return label;
}

bool needs_lookup(const HostEntry& entry) {
  if (!entry.hostaddr.empty() || entry.host.empty()) return false;
  if (entry.host.front() == '/' || entry.host.front() == '@') return false;  // Unix socket
  boost::system::error_code error;
  boost::asio::ip::make_address(entry.host, error);
  return static_cast<bool>(error);  // not an IP literal: a name
}

Task<void> resolve_host_names(boost::asio::any_io_executor executor, ConnectParams& params,
                              std::chrono::steady_clock::time_point deadline) {
  namespace asio = boost::asio;
  const auto entries = host_entries(params);
  if (std::none_of(entries.begin(), entries.end(), needs_lookup)) co_return;

  asio::ip::tcp::resolver resolver(executor);
  asio::steady_timer timer(executor, deadline);
  std::vector<HostEntry> resolved;
  for (const auto& entry : entries) {
    if (!needs_lookup(entry)) {
      resolved.push_back(entry);
      continue;
    }
    auto [order, resolve_error, results, timer_error] =
        co_await asio::experimental::make_parallel_group(
            resolver.async_resolve(entry.host, "", asio::deferred),
            timer.async_wait(asio::deferred))
            .async_wait(asio::experimental::wait_for_one(), asio::use_awaitable);
    if (order[0] == 1) {
      if (!timer_error) throw ConnectionError("resolving the PostgreSQL host name timed out");
      throw boost::system::system_error(asio::error::operation_aborted);  // cancelled
    }
    if (resolve_error) {
      // libpq would skip a host it cannot resolve and try the next one: so do we.
      spdlog::debug("cannot resolve PostgreSQL host {}: {}", entry.host, resolve_error.message());
      continue;
    }
    std::vector<std::string> seen;
    for (const auto& result : results) {
      std::string address = result.endpoint().address().to_string();
      if (std::find(seen.begin(), seen.end(), address) != seen.end()) continue;
      seen.push_back(address);
      HostEntry numeric = entry;
      numeric.hostaddr = std::move(address);
      resolved.push_back(std::move(numeric));
    }
  }
  if (resolved.empty()) throw ConnectionError("cannot resolve the PostgreSQL host name");
  set_host_entries(params, resolved);
}

}  // namespace utxoiq::pg
