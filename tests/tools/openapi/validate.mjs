// Validates an OpenAPI document (a JSON file) against the OpenAPI 3.1 schema with
// @seriousme/openapi-schema-validator (pinned in package.json), so the document the service
// serves is checked by a validator that is not ours. Prints the errors; exit 0 valid, 1 invalid,
// 2 usage. Used by tests/integration/openapi_validator_test.
import { Validator } from "@seriousme/openapi-schema-validator";

const file = process.argv[2];
if (!file) {
  console.error("usage: node validate.mjs FILE.json");
  process.exit(2);
}
const validator = new Validator();
const result = await validator.validate(file);
if (!result.valid) {
  console.log(JSON.stringify(result.errors, null, 2));
  process.exit(1);
}
if (validator.version !== "3.1") {
  console.log(`validated as OpenAPI ${validator.version}, expected 3.1`);
  process.exit(1);
}
console.log(`valid OpenAPI ${validator.version}`);
