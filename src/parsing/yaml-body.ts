import { apiErrors } from '../common/status';
import { ParseLimits } from './limits';
import { readYamlDocuments, YamlProblem } from './yaml-documents';

/** Parses one YAML document (a request body); malformed YAML, several documents or a limit passed is a 400. */
export function parseYamlBody(text: string, limits: ParseLimits): unknown {
  const documents = [...readYamlDocuments(text, limits)];
  const problem = documents.find((d) => 'problem' in d);
  if (problem && 'problem' in problem) throw bodyProblem(problem.problem);
  if (documents.length === 0) throw apiErrors.badRequest('the request body is empty');
  if (documents.length > 1) throw apiErrors.badRequest('the request body must hold exactly one YAML document');
  return 'value' in documents[0] ? documents[0].value : undefined;
}

function bodyProblem(problem: YamlProblem) {
  const pos = problem.linePos?.[0];
  const where = pos ? ` (at line ${pos.line}, column ${pos.col})` : '';
  if (problem.limit === 'size') return apiErrors.tooLarge(0, `the request body is too large: ${problem.message}`);
  if (problem.limit) return apiErrors.badRequest(`the request body is refused: ${problem.message}${where}`);
  return apiErrors.badRequest(`the request body is not valid YAML: ${problem.message}${where}`);
}
