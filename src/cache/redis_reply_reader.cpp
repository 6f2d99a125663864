// See redis_reply_reader.hpp.
#include "cache/redis_reply_reader.hpp"

#include <hiredis/hiredis.h>

#include <new>
#include <string>
#include <vector>

namespace utxoiq::cache {
namespace {

// hiredis's own array constructor, and a table of reply functions that is hiredis's default one
// but for arrays over kMaxReplyElements (to which it answers "Out of memory", a reader error).
void* (*hiredis_create_array)(const redisReadTask*, int) = nullptr;

void* create_bounded_array(const redisReadTask* task, int elements) {
  if (elements > kMaxReplyElements) return nullptr;
  return hiredis_create_array(task, elements);
}

redisReplyObjectFunctions* bounded_functions(const redisReplyObjectFunctions* defaults) {
  static redisReplyObjectFunctions table = [defaults] {
    redisReplyObjectFunctions copy = *defaults;
    hiredis_create_array = copy.createArray;
    copy.createArray = create_bounded_array;
    return copy;
  }();
  return &table;
}

RedisReply convert(const redisReply* r) {
  switch (r->type) {
    case REDIS_REPLY_STRING:
      return RedisReply::string(std::string(r->str, r->len));
    case REDIS_REPLY_STATUS:
      return RedisReply::status(std::string(r->str, r->len));
    case REDIS_REPLY_ERROR:
      return RedisReply::error(std::string(r->str, r->len));
    case REDIS_REPLY_INTEGER:
      return RedisReply::integer_value(r->integer);
    case REDIS_REPLY_ARRAY: {
      std::vector<RedisReply> elements;
      elements.reserve(r->elements);
      for (std::size_t i = 0; i < r->elements; ++i) elements.push_back(convert(r->element[i]));
      return RedisReply::array(std::move(elements));
    }
    default:
      return RedisReply::nil();
  }
}

}  // namespace

RedisReplyReader::RedisReplyReader() : reader_(redisReaderCreate()) {
  if (reader_ == nullptr) throw std::bad_alloc();
  reader_->fn = bounded_functions(reader_->fn);
}

RedisReplyReader::~RedisReplyReader() {
  redisReaderFree(reader_);
}

void RedisReplyReader::feed(std::string_view bytes) {
  if (bytes.empty()) return;
  if (redisReaderFeed(reader_, bytes.data(), bytes.size()) != REDIS_OK) {
    throw RedisProtocolError("protocol error");
  }
}

std::optional<RedisReply> RedisReplyReader::next() {
  void* raw = nullptr;
  if (redisReaderGetReply(reader_, &raw) != REDIS_OK) {
    throw RedisProtocolError(std::string("protocol error: ") + reader_->errstr);
  }
  if (raw == nullptr) return std::nullopt;  // the rest of this reply is still on the way
  RedisReply reply = convert(static_cast<const redisReply*>(raw));
  freeReplyObject(raw);
  return reply;
}

}  // namespace utxoiq::cache
