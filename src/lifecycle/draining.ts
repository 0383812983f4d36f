import { Injectable, OnModuleDestroy } from '@nestjs/common';

/**
 * Whether the application has started to shut down. Nest destroys modules (this hook) before it
 * closes the HTTP server, so from here on every answer closes its connection and in-flight work that
 * can be refused (imports) is stopped; `onDrain` callbacks run once, in registration order.
 */
@Injectable()
export class Draining implements OnModuleDestroy {
  private started = false;
  private readonly callbacks: (() => void)[] = [];

  get active(): boolean {
    return this.started;
  }

  onDrain(callback: () => void): void {
    this.callbacks.push(callback);
  }

  onModuleDestroy(): void {
    if (this.started) return;
    this.started = true;
    for (const callback of this.callbacks) callback();
  }
}
