// Exceptions to problem responses (see error_response.hpp).
#include "http/error_response.hpp"

#include "http/problem.hpp"
#include "obs/logging.hpp"

namespace utxoiq::http {
namespace {

Response internal(const Request& request, std::string_view what) {
  obs::log_error("unhandled error in request", {{"request_id", request.request_id},
                                                {"method", method_name(request.method)},
                                                {"path", request.path},
                                                {"route", request.route_name},
                                                {"error", what}});
  return problem_response(internal_error());
}

}  // namespace

Response response_for_exception(std::exception_ptr error, const Request& request,
                                std::span<const ExceptionMapper> mappers) {
  try {
    std::rethrow_exception(error);
  } catch (const Problem& problem) {
    return problem_response(problem);
  } catch (const std::exception& e) {
    for (const auto& mapper : mappers) {
      std::optional<Problem> problem;
      try {
        problem = mapper(e);
      } catch (const std::exception& mapper_error) {
        return internal(request, mapper_error.what());
      }
      if (problem) {
        obs::log_warn("request failed", {{"request_id", request.request_id},
                                         {"route", request.route_name},
                                         {"status", problem->status()},
                                         {"error", e.what()}});
        return problem_response(*problem);
      }
    }
    return internal(request, e.what());
  } catch (...) {
    return internal(request, "an exception of unknown type");
  }
}

}  // namespace utxoiq::http
