// Handlers and OpenAPI descriptions of the feedback endpoints (see feedback_routes.hpp).
// Roles (api.md): the three writes need `writer`, erasure `admin`; reads, stats/batch included
// (a POST only because 500 ids do not fit a URL), need `reader`.
#include "api/feedback_routes.hpp"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include "api/request_values.hpp"
#include "domain/feedback_queries.hpp"
#include "domain/feedback_requests.hpp"
#include "http/json_body.hpp"
#include "http/response.hpp"
#include "http/router.hpp"

namespace utxoiq::api {

namespace {

using http::Request;
using http::Response;

constexpr std::string_view kBase = "/api/v1/feedback";

std::string path(std::string_view rest) {
  return std::string(kBase) + std::string(rest);
}

Response write_response(const store::FeedbackWrite& write) {
  return http::json_response(write.created ? 201 : 200, domain::to_json(write.feedback));
}

// {<member>: [...], next_cursor}
Response page_response(std::string_view member, const store::FeedbackPage& page,
                       boost::json::object (*render)(const domain::Feedback&)) {
  boost::json::array items;
  items.reserve(page.feedback.size());
  for (const auto& feedback : page.feedback) items.push_back(render(feedback));
  boost::json::object body;
  body.emplace(member, std::move(items));
  body.emplace("next_cursor", json_next_cursor(page.next));
  return http::json_response(200, body);
}

boost::json::object record_json(const domain::Feedback& feedback) {
  return domain::to_json(feedback);
}

void describe(ApiDocs& docs) {
  docs.add_schema("Feedback", R"({
    "type": "object",
    "required": ["id", "insight_id", "user_id", "rating", "comment", "flag_type", "flag_reason",
                 "created_at", "updated_at"],
    "properties": {
      "id": {"type": "string", "format": "uuid"},
      "insight_id": {"type": "string", "minLength": 1, "maxLength": 100},
      "user_id": {"type": "string", "minLength": 1, "maxLength": 100},
      "rating": {"type": ["integer", "null"], "minimum": 1, "maximum": 5},
      "comment": {"type": ["string", "null"], "maxLength": 5000},
      "flag_type": {"enum": ["inaccurate", "misleading", "spam", "other", null]},
      "flag_reason": {"type": ["string", "null"], "maxLength": 2000},
      "created_at": {"type": "string", "format": "date-time"},
      "updated_at": {"type": "string", "format": "date-time"}}})");
  docs.add_schema("FeedbackStats", R"({
    "type": "object",
    "required": ["insight_id", "total_ratings", "average_rating", "rating_distribution",
                 "total_comments", "total_flags", "flag_types"],
    "properties": {
      "insight_id": {"type": "string"},
      "total_ratings": {"type": "integer"},
      "average_rating": {"type": ["number", "null"]},
      "rating_distribution": {"type": "object", "required": ["1", "2", "3", "4", "5"],
        "additionalProperties": {"type": "integer"}},
      "total_comments": {"type": "integer"},
      "total_flags": {"type": "integer"},
      "flag_types": {"type": "object", "required": ["inaccurate", "misleading", "spam", "other"],
        "additionalProperties": {"type": "integer"}}}})");
  docs.add_schema("FeedbackPage", R"({
    "type": "object", "required": ["feedback", "next_cursor"],
    "properties": {"feedback": {"type": "array", "items": {"$ref": "#/components/schemas/Feedback"}},
                   "next_cursor": {"type": ["string", "null"]}}})");

  const std::string record = R"({"$ref": "#/components/schemas/Feedback"})";
  const std::string pair = R"("insight_id": {"type": "string", "minLength": 1, "maxLength": 100},
      "user_id": {"type": "string", "minLength": 1, "maxLength": 100})";
  const std::string upsert_note =
      "Creates the (insight_id, user_id) record (201) or updates only this field of it (200).";
  docs.describe(
      "feedback_rate",
      {.summary = "Rate an insight 1-5",
       .description = upsert_note,
       .request = R"({"type": "object",
    "required": ["insight_id", "user_id", "rating"], "properties": {)" +
                  pair + R"(, "rating": {"type": "integer", "minimum": 1, "maximum": 5}}})",
       .status = 201,
       .response = record,
       .problems = {400, 413, 422}});
  docs.describe(
      "feedback_comment",
      {.summary = "Comment on an insight",
       .description = upsert_note,
       .request = R"({"type": "object",
    "required": ["insight_id", "user_id", "comment"], "properties": {)" +
                  pair + R"(, "comment": {"type": "string", "minLength": 1, "maxLength": 5000}}})",
       .status = 201,
       .response = record,
       .problems = {400, 413, 422}});
  docs.describe(
      "feedback_flag",
      {.summary = "Flag an insight",
       .description = upsert_note + " A flag without flag_reason sets it to null.",
       .request = R"({"type": "object",
    "required": ["insight_id", "user_id", "flag_type"], "properties": {)" +
                  pair +
                  R"(, "flag_type": {"enum": ["inaccurate", "misleading", "spam", "other"]},
      "flag_reason": {"type": ["string", "null"], "maxLength": 2000}}})",
       .status = 201,
       .response = record,
       .problems = {400, 413, 422}});
  const ParamDoc insight_id{.name = "insight_id", .required = true};
  const ParamDoc limit{.name = "limit",
                       .schema = R"({"type": "integer", "minimum": 1, "maximum": 500})"};
  const ParamDoc cursor{.name = "cursor"};
  const ParamDoc rating_param{.name = "rating",
                              .schema = R"({"type": "integer", "minimum": 1, "maximum": 5})"};
  docs.describe("feedback_stats",
                {.summary = "Feedback statistics of an insight (all zeros when it has none)",
                 .query = {insight_id},
                 .response = R"({"$ref": "#/components/schemas/FeedbackStats"})",
                 .problems = {422}});
  docs.describe("feedback_stats_batch", {.summary = "Statistics of 1-500 insights, in order",
                                         .request = R"({"type": "object",
    "required": ["insight_ids"], "properties": {"insight_ids": {"type": "array", "minItems": 1,
      "maxItems": 500, "items": {"type": "string", "minLength": 1, "maxLength": 100}}}})",
                                         .response = R"({"type": "object", "required": ["stats"],
    "properties": {"stats": {"type": "array",
      "items": {"$ref": "#/components/schemas/FeedbackStats"}}}})",
                                         .problems = {400, 413, 422}});
  docs.describe("feedback_list",
                {.summary = "Feedback records matching every filter given, newest first",
                 .query = {{.name = "insight_id"},
                           {.name = "user_id"},
                           rating_param,
                           {.name = "min_rating", .schema = rating_param.schema},
                           {.name = "max_rating", .schema = rating_param.schema},
                           {.name = "flag_type",
                            .schema = R"({"enum": ["inaccurate", "misleading", "spam", "other"]})"},
                           {.name = "has_comment", .schema = R"({"type": "boolean"})"},
                           {.name = "from",
                            .schema = R"({"type": "string", "format": "date-time"})",
                            .description = "created_at at or after"},
                           {.name = "to",
                            .schema = R"({"type": "string", "format": "date-time"})",
                            .description = "created_at before"},
                           limit,
                           cursor},
                 .response = R"({"$ref": "#/components/schemas/FeedbackPage"})",
                 .problems = {422}});
  docs.describe("feedback_comments", {.summary = "Comments on an insight, newest first",
                                      .query = {insight_id, limit, cursor},
                                      .response = R"({"type": "object",
    "required": ["comments", "next_cursor"], "properties": {"comments": {"type": "array",
      "items": {"type": "object"}}, "next_cursor": {"type": ["string", "null"]}}})",
                                      .problems = {422}});
  docs.describe("feedback_user", {.summary = "A user's feedback, newest first",
                                  .query = {{.name = "user_id", .required = true}, limit, cursor},
                                  .response = R"({"$ref": "#/components/schemas/FeedbackPage"})",
                                  .problems = {422}});
  docs.describe("feedback_erase_user", {.summary = "Erase all feedback of a user (admin)",
                                        .response = R"({"type": "object", "required": ["deleted"],
    "properties": {"deleted": {"type": "integer", "minimum": 0}}})",
                                        .problems = {422}});
}

}  // namespace

void add_feedback_routes(http::Router& router, FeedbackRoutesDeps deps, ApiDocs& docs) {
  describe(docs);

  router.post(path("/rate"),
              [deps](Request& request) -> Task<Response> {
                const auto rate =
                    valid_or_422(domain::parse_rate_feedback(http::parse_json_object(request)));
                co_return write_response(co_await deps.writer.rate(rate));
              },
              {.name = "feedback_rate", .min_role = http::Role::writer});

  router.post(path("/comment"),
              [deps](Request& request) -> Task<Response> {
                const auto comment =
                    valid_or_422(domain::parse_comment_feedback(http::parse_json_object(request)));
                co_return write_response(co_await deps.writer.comment(comment));
              },
              {.name = "feedback_comment", .min_role = http::Role::writer});

  router.post(path("/flag"),
              [deps](Request& request) -> Task<Response> {
                const auto flag =
                    valid_or_422(domain::parse_flag_feedback(http::parse_json_object(request)));
                co_return write_response(co_await deps.writer.flag(flag));
              },
              {.name = "feedback_flag", .min_role = http::Role::writer});

  router.get(
      path("/stats"),
      [deps](Request& request) -> Task<Response> {
        const std::string insight_id = valid_or_422(domain::parse_stats_query(query_of(request)));
        std::string body = co_await deps.stats.stats_json(insight_id);
        co_return http::text_response(200, std::move(body), std::string(http::kJsonContentType));
      },
      {.name = "feedback_stats"});

  router.post(
      path("/stats/batch"),
      [deps](Request& request) -> Task<Response> {
        const auto batch =
            valid_or_422(domain::parse_stats_batch(http::parse_json_object(request)));
        const auto all = co_await deps.stats.stats_batch(batch.insight_ids);
        boost::json::array stats;
        stats.reserve(all.size());
        for (const auto& one : all) stats.push_back(domain::to_json(one));
        co_return http::json_response(200, boost::json::object{{"stats", std::move(stats)}});
      },
      {.name = "feedback_stats_batch", .min_role = http::Role::reader});

  router.get(std::string(kBase),
             [deps](Request& request) -> Task<Response> {
               const auto filter = valid_or_422(domain::parse_feedback_filter(query_of(request)));
               co_return page_response("feedback", co_await deps.lister.list(filter), record_json);
             },
             {.name = "feedback_list"});

  router.get(path("/comments"),
             [deps](Request& request) -> Task<Response> {
               const auto query = valid_or_422(domain::parse_comments_query(query_of(request)));
               co_return page_response("comments", co_await deps.lister.comments(query),
                                       domain::comment_to_json);
             },
             {.name = "feedback_comments"});

  router.get(
      path("/user"),
      [deps](Request& request) -> Task<Response> {
        const auto query = valid_or_422(domain::parse_user_feedback_query(query_of(request)));
        co_return page_response("feedback", co_await deps.lister.by_user(query), record_json);
      },
      {.name = "feedback_user"});

  router.del(path("/user/{user_id}"),
             [deps](Request& request) -> Task<Response> {
               const std::string user_id =
                   valid_or_422(domain::parse_user_id_path(request.param("user_id")));
               const std::int64_t deleted = co_await deps.writer.erase_user(user_id);
               co_return http::json_response(200, boost::json::object{{"deleted", deleted}});
             },
             {.name = "feedback_erase_user", .min_role = http::Role::admin});
}

}  // namespace utxoiq::api
