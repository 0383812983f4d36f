import { parentPort } from 'node:worker_threads';
import { ApiError, Status } from '../common/status';
import { ImportStreamOptions, ParsedDocument, readImportStream } from '../manifests/import-stream';
import { ParseLimits } from './limits';
import { parseYamlBody } from './yaml-body';

/**
 * The parse worker: YAML bodies and whole import streams are parsed here, off the event loop that
 * answers every other request. Values come back as JSON text, which the receiving side parses in its
 * own realm (a structured clone would make objects of the main realm, not of a Jest test's, and costs
 * about as much). An import's documents come back in batches as they are read, so the main thread
 * starts validating before the parse ends and never receives one huge message.
 */
export type ParseJob =
  | { id: number; type: 'yaml-body'; text: string; limits: ParseLimits }
  | { id: number; type: 'import'; text: string; options: ImportStreamOptions };

export type ParseReply =
  | { id: number; valueJson: string }
  | { id: number; documentsJson: string }
  | { id: number; done: true }
  | { id: number; refused: Status }
  | { id: number; crashed: string };

/** A batch goes back once it holds this much JSON (or at the end). */
const BATCH_BYTES = 256 * 1024;

function run(job: ParseJob, reply: (message: ParseReply) => void): void {
  try {
    if (job.type === 'yaml-body') return reply({ id: job.id, valueJson: JSON.stringify(parseYamlBody(job.text, job.limits)) ?? 'null' });
    let batch: ParsedDocument[] = [];
    let bytes = 0;
    for (const document of readImportStream(job.text, job.options)) {
      batch.push(document);
      bytes += document.bytes ?? 512;
      if (bytes >= BATCH_BYTES) {
        reply({ id: job.id, documentsJson: JSON.stringify(batch) });
        batch = [];
        bytes = 0;
      }
    }
    if (batch.length > 0) reply({ id: job.id, documentsJson: JSON.stringify(batch) });
    reply({ id: job.id, done: true });
  } catch (error) {
    if (error instanceof ApiError) reply({ id: job.id, refused: error.status });
    else reply({ id: job.id, crashed: (error as Error)?.stack ?? String(error) });
  }
}

parentPort?.on('message', (job: ParseJob) => run(job, (message) => parentPort!.postMessage(message)));
