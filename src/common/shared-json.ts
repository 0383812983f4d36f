import { FastifyInstance } from 'fastify';

/**
 * Answers that many requests share (a cached resolve answer) are serialised once: the first request
 * stores the JSON text beside the object, the others send it as it is. Weakly held, so an answer's text
 * goes when its cache drops the answer. Only for objects never changed after they are shared.
 */
const shared = new WeakMap<object, string | null>();

export function shareAnswer<T extends object>(answer: T): T {
  if (!shared.has(answer)) shared.set(answer, null);
  return answer;
}

export function serializeAnswer(payload: unknown): string {
  if (typeof payload !== 'object' || payload === null) return JSON.stringify(payload);
  const text = shared.get(payload);
  if (text !== undefined && text !== null) return text;
  const json = JSON.stringify(payload);
  if (text === null) shared.set(payload, json);
  return json;
}

/** The application's JSON serialiser (routes with a response schema keep their own). */
export function serializeSharedAnswers(fastify: FastifyInstance): void {
  fastify.setReplySerializer(serializeAnswer);
}
