// The feedback routes (see feedback_routes.hpp), declared in one table: method, path, role,
// documentation and handler of each. Roles (api.md): the three writes need `writer`, erasure
// `admin`; reads, stats/batch included (a POST only because 500 ids do not fit a URL), `reader`.
#include "api/feedback_routes.hpp"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include "api/cached_feedback_stats.hpp"
#include "api/capped_page.hpp"
#include "api/request_values.hpp"
#include "api/route_table.hpp"
#include "api/schema.hpp"
#include "domain/feedback_queries.hpp"
#include "domain/feedback_requests.hpp"
#include "http/json_body.hpp"
#include "http/response.hpp"

namespace utxoiq::api {

namespace {

namespace json = boost::json;

constexpr std::string_view kBase = "/api/v1/feedback";
constexpr const char* kInsightExample = "whale-move";
constexpr const char* kUserExample = "alice";

std::string path(std::string_view rest) {
  return std::string(kBase) + std::string(rest);
}

Response write_response(const store::FeedbackWrite& write) {
  return http::json_response(write.created ? 201 : 200, domain::to_json(write.feedback));
}

// {<member>: [...], next_cursor}, under the cap of every list page.
Response page_response(std::string_view member, const store::FeedbackPage& page,
                       json::object (*render)(const domain::Feedback&)) {
  return http::json_text_response(
      200,
      render_capped_page(
          member, page.feedback, page.next,
          [render](std::string& out, const domain::Feedback& f) { append_object(out, render(f)); },
          [](const domain::Feedback& f) {
            return domain::KeysetCursor{domain::CursorKind::feedback, f.created_at, f.id};
          }));
}

json::object record_json(const domain::Feedback& feedback) {
  return domain::to_json(feedback);
}

json::object rating() {
  return schema::integer(domain::kMinRating, domain::kMaxRating);
}

// The flag types of the domain, in its order.
std::vector<std::string_view> flag_type_names() {
  std::vector<std::string_view> names;
  for (const auto type : domain::kFlagTypes) names.push_back(domain::to_string(type));
  return names;
}

json::object flag_type() {
  const auto names = flag_type_names();
  return {{"enum", json::array(names.begin(), names.end())}};
}

void add_schemas(ApiDocs& docs) {
  using domain::kCommentRule, domain::kFlagReasonRule, domain::kInsightIdRule, domain::kUserIdRule;
  const auto time = schema::formatted("date-time");
  docs.add_schema("Feedback",
                  schema::object({"id", "insight_id", "user_id", "rating", "comment", "flag_type",
                                  "flag_reason", "created_at", "updated_at"},
                                 {{"id", schema::formatted("uuid")},
                                  {"insight_id", schema::text(kInsightIdRule)},
                                  {"user_id", schema::text(kUserIdRule)},
                                  {"rating", schema::nullable(rating())},
                                  {"comment", schema::nullable(schema::text(kCommentRule))},
                                  {"flag_type", schema::nullable(flag_type())},
                                  {"flag_reason", schema::nullable(schema::text(kFlagReasonRule))},
                                  {"created_at", time},
                                  {"updated_at", time}}));
  docs.add_schema(
      "Comment",
      schema::object({"id", "insight_id", "user_id", "comment", "created_at", "updated_at"},
                     {{"id", schema::formatted("uuid")},
                      {"insight_id", schema::text(kInsightIdRule)},
                      {"user_id", schema::text(kUserIdRule)},
                      {"comment", schema::nullable(schema::text(kCommentRule))},
                      {"created_at", time},
                      {"updated_at", time}}));
  const auto count = schema::integer(0);
  const auto counts = [&count](const std::vector<std::string_view>& keys) {
    json::object properties;
    for (const auto key : keys) properties[key] = count;
    auto out = schema::object({}, std::move(properties));
    out["required"] = json::array(keys.begin(), keys.end());
    out["additionalProperties"] = false;
    return out;
  };
  docs.add_schema(
      "FeedbackStats",
      schema::object({"insight_id", "total_ratings", "average_rating", "rating_distribution",
                      "total_comments", "total_flags", "flag_types"},
                     {{"insight_id", schema::string()},
                      {"total_ratings", count},
                      {"average_rating",
                       schema::nullable(schema::number(domain::kMinRating, domain::kMaxRating))},
                      {"rating_distribution", counts({"1", "2", "3", "4", "5"})},
                      {"total_comments", count},
                      {"total_flags", count},
                      {"flag_types", counts(flag_type_names())}}));
  docs.add_schema("FeedbackPage", schema::page("feedback", schema::ref("Feedback")));
}

// The body of rate, comment and flag: insight_id, user_id and the fields of the write.
json::object upsert_body(std::initializer_list<std::string_view> required, json::object fields) {
  json::object properties{{"insight_id", schema::text(domain::kInsightIdRule)},
                          {"user_id", schema::text(domain::kUserIdRule)}};
  for (auto& [name, field] : fields) properties[name] = std::move(field);
  std::vector<std::string_view> names{"insight_id", "user_id"};
  names.insert(names.end(), required);
  json::object out = schema::object({}, std::move(properties));
  out["required"] = json::array(names.begin(), names.end());
  return out;
}

json::object upsert_example(std::string_view field, json::value value) {
  return {{"insight_id", kInsightExample}, {"user_id", kUserExample}, {field, std::move(value)}};
}

// The documentation of rate, comment and flag; `note` adds to the common description.
RouteDoc upsert_doc(std::string summary, std::string_view note, json::object body,
                    json::object example) {
  return {.summary = std::move(summary),
          .description =
              "Creates the (insight_id, user_id) record (201) or updates only this "
              "field of it (200)." +
              std::string(note),
          .request = std::move(body),
          .request_example = std::move(example),
          .replies = {{.status = 200, .description = "Updated", .schema = schema::ref("Feedback")},
                      {.status = 201, .description = "Created", .schema = schema::ref("Feedback")}},
          .problems = {422}};
}

// The handler of rate, comment and flag: the body validated by `parse`, written by `write`.
template <typename Write>
http::Handler upsert_handler(
    FeedbackRoutesDeps deps, domain::Validated<Write> (*parse)(const json::object&),
    Task<store::FeedbackWrite> (store::FeedbackWriter::*write)(const Write&)) {
  return [deps, parse, write](Request& request) -> Task<Response> {
    const Write valid = valid_or_422(parse(http::parse_json_object(request)));
    co_return write_response(co_await (deps.writer.*write)(valid));
  };
}

std::vector<RouteSpec> feedback_table(FeedbackRoutesDeps deps) {
  const ParamDoc insight_id{.name = "insight_id",
                            .schema = schema::text(domain::kInsightIdRule),
                            .required = true,
                            .example = kInsightExample};
  const ParamDoc user_id{.name = "user_id",
                         .schema = schema::text(domain::kUserIdRule),
                         .required = true,
                         .example = kUserExample};
  const auto time = schema::formatted("date-time");
  return {
      {.method = Method::post,
       .path = path("/rate"),
       .name = "feedback_rate",
       .access = kWriters,
       .doc = upsert_doc("Rate an insight", "", upsert_body({"rating"}, {{"rating", rating()}}),
                         upsert_example("rating", 5)),
       .handler = upsert_handler(deps, domain::parse_rate_feedback, &store::FeedbackWriter::rate)},
      {.method = Method::post,
       .path = path("/comment"),
       .name = "feedback_comment",
       .access = kWriters,
       .doc =
           upsert_doc("Comment on an insight", "",
                      upsert_body({"comment"}, {{"comment", schema::text(domain::kCommentRule)}}),
                      upsert_example("comment", "Spot on.")),
       .handler =
           upsert_handler(deps, domain::parse_comment_feedback, &store::FeedbackWriter::comment)},
      {.method = Method::post,
       .path = path("/flag"),
       .name = "feedback_flag",
       .access = kWriters,
       .doc = upsert_doc(
           "Flag an insight", " A flag without flag_reason sets it to null.",
           upsert_body({"flag_type"},
                       {{"flag_type", flag_type()},
                        {"flag_reason", schema::nullable(schema::text(domain::kFlagReasonRule))}}),
           upsert_example("flag_type", "misleading")),
       .handler = upsert_handler(deps, domain::parse_flag_feedback, &store::FeedbackWriter::flag)},
      {.method = Method::get,
       .path = path("/stats"),
       .name = "feedback_stats",
       .access = kReaders,
       .doc = {.summary = "Feedback statistics of an insight (all zeros when it has none)",
               .query = {insight_id},
               .replies = {{.schema = schema::ref("FeedbackStats")}},
               .problems = {422}},
       .handler = [deps](Request& request) -> Task<Response> {
         const std::string id = valid_or_422(domain::parse_stats_query(query_of(request)));
         co_return http::json_text_response(200, co_await deps.reads.stats_json(id));
       }},
      {.method = Method::post,
       .path = path("/stats/batch"),
       .name = "feedback_stats_batch",
       .access = kReaders,
       .doc = {.summary = "Statistics of several insights, in the order asked",
               .request = schema::object(
                   {"insight_ids"},
                   {{"insight_ids", schema::array_of(schema::text(domain::kInsightIdRule), 1,
                                                     domain::kMaxStatsBatch)}}),
               .request_example = {{"insight_ids", json::array{kInsightExample, "fee-spike"}}},
               .replies = {{.schema = schema::object(
                                {"stats"},
                                {{"stats", schema::array_of(schema::ref("FeedbackStats"))}})}},
               .problems = {422}},
       .handler = [deps](Request& request) -> Task<Response> {
         const auto batch =
             valid_or_422(domain::parse_stats_batch(http::parse_json_object(request)));
         const auto all = co_await deps.stats.stats_batch(batch.insight_ids);
         json::array stats;
         stats.reserve(all.size());
         for (const auto& one : all) stats.push_back(domain::to_json(one));
         co_return http::json_response(200, json::object{{"stats", std::move(stats)}});
       }},
      {.method = Method::get,
       .path = std::string(kBase),
       .name = "feedback_list",
       .access = kReaders,
       .doc = {.summary = "Feedback records matching every filter given, newest first",
               .query = with_paging(
                   {{.name = "insight_id",
                     .schema = schema::text(domain::kInsightIdRule),
                     .example = kInsightExample},
                    {.name = "user_id", .schema = schema::text(domain::kUserIdRule)},
                    {.name = "rating", .schema = rating()},
                    {.name = "min_rating", .schema = rating(), .example = 2},
                    {.name = "max_rating", .schema = rating(), .example = 5},
                    {.name = "flag_type", .schema = flag_type()},
                    {.name = "has_comment", .schema = schema::boolean()},
                    {.name = "from", .schema = time, .description = "created_at at or after"},
                    {.name = "to", .schema = time, .description = "created_at before"}}),
               .replies = {{.schema = schema::ref("FeedbackPage")}},
               .problems = {422}},
       .handler = [deps](Request& request) -> Task<Response> {
         const auto filter = valid_or_422(domain::parse_feedback_filter(query_of(request)));
         co_return page_response("feedback", co_await deps.lister.list(filter), record_json);
       }},
      {.method = Method::get,
       .path = path("/comments"),
       .name = "feedback_comments",
       .access = kReaders,
       .doc = {.summary = "Comments on an insight, newest first",
               .query = with_paging({insight_id}),
               .replies = {{.schema = schema::page("comments", schema::ref("Comment"))}},
               .problems = {422}},
       .handler = [deps](Request& request) -> Task<Response> {
         const auto query = valid_or_422(domain::parse_comments_query(query_of(request)));
         co_return page_response("comments", co_await deps.lister.comments(query),
                                 domain::comment_to_json);
       }},
      {.method = Method::get,
       .path = path("/user"),
       .name = "feedback_user",
       .access = kReaders,
       .doc = {.summary = "A user's feedback, newest first",
               .query = with_paging({user_id}),
               .replies = {{.schema = schema::ref("FeedbackPage")}},
               .problems = {422}},
       .handler = [deps](Request& request) -> Task<Response> {
         const auto query = valid_or_422(domain::parse_user_feedback_query(query_of(request)));
         co_return page_response("feedback", co_await deps.lister.by_user(query), record_json);
       }},
      {.method = Method::delete_,
       .path = path("/user/{user_id}"),
       .name = "feedback_erase_user",
       .access = kAdmins,
       .doc = {.summary = "Erase all feedback of a user",
               .path = {user_id},
               .replies = {{.schema =
                                schema::object({"deleted"}, {{"deleted", schema::integer(0)}})}},
               .problems = {422}},
       .handler = [deps](Request& request) -> Task<Response> {
         const std::string user =
             valid_or_422(domain::parse_user_id_path(request.param("user_id")));
         const std::int64_t deleted = co_await deps.writer.erase_user(user);
         co_return http::json_response(200, json::object{{"deleted", deleted}});
       }},
  };
}

}  // namespace

void add_feedback_routes(http::Router& router, FeedbackRoutesDeps deps, ApiDocs& docs) {
  add_schemas(docs);
  add_routes(router, docs, feedback_table(deps));
}

}  // namespace utxoiq::api
