import { appendFileSync } from 'node:fs';
import { takeContractViolations } from './openapi-contract';

/**
 * Jest setup of the integration, end-to-end and browser suites: a test whose requests got a
 * response the OpenAPI document does not describe fails, naming each response and the problem.
 * CONTRACT_VIOLATIONS_FILE=<path> collects them all into a file instead (to survey a large change).
 */
afterEach(() => {
  const problems = takeContractViolations();
  if (!problems.length) return;
  const survey = process.env.CONTRACT_VIOLATIONS_FILE;
  if (survey) {
    appendFileSync(survey, problems.map((p) => `${p}\n`).join(''));
    return;
  }
  throw new Error(`Responses that do not match the OpenAPI document (/docs-json):\n  - ${problems.slice(0, 30).join('\n  - ')}${problems.length > 30 ? `\n  … and ${problems.length - 30} more` : ''}`);
});
