#pragma once
// Groups the work that many coroutines submit into batches handled one at a time: what arrives
// while a batch is being handled (or in the same turn of the event loop as the first item) forms
// the next batch, at most max_batch items. Repositories use it to write many requests with one
// statement (store/feedback_rate_batcher.hpp): a statement and a commit cost the database about
// the same for one row as for dozens. In pg/ because it is the asynchronous machinery next to the
// pool, on the same single executor (no locks), and keeps Asio out of store/.
//
// The batches run on the executor given at construction (the pool's), not on the executor of the
// request whose item started them: a batch serves many requests, so its statements belong to none
// (http/request_scope.hpp).
//
// The handler gets each batch, in submission order, and must fill every item's answer; it must
// not throw (an exception escaping it is given to every item of the batch). submit() returns once
// the batch holding its item has been handled.
#include <boost/asio/any_io_executor.hpp>
#include <cstddef>
#include <exception>
#include <functional>
#include <memory>
#include <type_traits>
#include <vector>

#include "util/task.hpp"

namespace utxoiq::pg {

class BatchQueue {
 public:
  // What one caller submits; derive from it to carry the request and its answer.
  struct Item {
    virtual ~Item() = default;
    std::exception_ptr error;  // set by the handler (or the queue) when the item failed
  };
  using Batch = std::vector<std::shared_ptr<Item>>;
  using Handler = std::function<Task<void>(const Batch&)>;

  BatchQueue(boost::asio::any_io_executor executor, std::size_t max_batch, Handler handler);
  ~BatchQueue();  // items still queued fail with ConnectionError
  BatchQueue(const BatchQueue&) = delete;
  BatchQueue& operator=(const BatchQueue&) = delete;

  // Queues `item` and waits until its batch has been handled; rethrows item->error.
  Task<void> submit(std::shared_ptr<Item> item);

  struct State;

 private:
  std::shared_ptr<State> state_;
};

// The item a handler was given, as the type its caller submitted. A static cast: safe when every
// item a queue is given has that type, as each batcher submits only its own kind of item.
template <class T>
T& item_as(const std::shared_ptr<BatchQueue::Item>& item) {
  static_assert(std::is_base_of_v<BatchQueue::Item, T>);
  return static_cast<T&>(*item);
}

}  // namespace utxoiq::pg
