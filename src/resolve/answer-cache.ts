/**
 * Answers computed at one index revision, reused until the index moves on. Callers ask the same few
 * hosts over and over (every sidecar of a service, every boot script), while writes are rare; any write
 * changes the revision and so retires every answer at once, which keeps invalidation trivially correct.
 * Bounded: past `capacity` distinct questions, the oldest answer is dropped.
 */
export class AnswerCache<T> {
  private revision = '';
  private readonly answers = new Map<string, T>();

  constructor(private readonly capacity: number) {}

  get(revision: string, key: string): T | undefined {
    if (revision !== this.revision) {
      this.answers.clear();
      this.revision = revision;
      return undefined;
    }
    return this.answers.get(key);
  }

  set(revision: string, key: string, answer: T): void {
    if (revision !== this.revision) return;
    if (this.answers.size >= this.capacity) this.answers.delete(this.answers.keys().next().value as string);
    this.answers.set(key, answer);
  }
}
