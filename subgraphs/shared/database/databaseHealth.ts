import type { Logger } from '../../../src/platform/logger.js';
import { DatabaseUnavailable, type Database } from './database.js';

/** Whether a service can use its database now, and why not. */
export type DatabaseStatus = { readonly available: true } | { readonly available: false; readonly reason: string };

export interface DatabaseHealthOptions {
  db: Database;
  /** Run until it succeeds once before the database counts as available: the service's migrations. */
  prepare: () => Promise<unknown>;
  logger: Logger;
  /** Time between checks. Default 1000 ms. */
  intervalMs?: number;
}

/**
 * Follows one service's database: prepares it (migrations) until that has worked, then
 * checks it with `SELECT 1` on an interval, and tells listeners when it becomes available
 * or unavailable. A service makes its health follow this (not ready, gRPC NOT_SERVING),
 * so the gateway drops what needs it and re-adds it when it is back.
 */
export class DatabaseHealth {
  private status: DatabaseStatus = { available: false, reason: 'not checked yet' };
  private prepared = false;
  private running = false;
  private checking: Promise<void> | undefined;
  private timer: NodeJS.Timeout | undefined;
  private readonly listeners = new Set<(status: DatabaseStatus) => void>();

  constructor(private readonly options: DatabaseHealthOptions) {}

  /** Checks once (resolves when that check is done, available or not), then keeps checking. */
  async start(): Promise<void> {
    this.running = true;
    await this.check();
  }

  current(): DatabaseStatus {
    return this.status;
  }

  onChange(listener: (status: DatabaseStatus) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** A call found the database unavailable: check now rather than at the next interval. */
  recheck(): void {
    if (this.running && !this.checking) void this.check();
  }

  stop(): void {
    this.running = false;
    clearTimeout(this.timer);
  }

  private check(): Promise<void> {
    clearTimeout(this.timer);
    this.checking = this.checkOnce().finally(() => {
      this.checking = undefined;
      if (!this.running) return;
      this.timer = setTimeout(() => void this.check(), this.options.intervalMs ?? 1000);
      this.timer.unref();
    });
    return this.checking;
  }

  private async checkOnce(): Promise<void> {
    const { db, prepare, logger } = this.options;
    try {
      if (this.prepared) await db.query('SELECT 1');
      else {
        await prepare();
        this.prepared = true;
      }
      this.set({ available: true });
    } catch (error) {
      if (error instanceof DatabaseUnavailable) {
        this.set({ available: false, reason: error.reason });
      } else {
        // A bug or a step the database refuses: retried, but it is not an outage.
        logger.error({ err: error, database: db.description }, 'preparing the database failed');
        this.set({ available: false, reason: 'its migrations failed (see the service log)' });
      }
    }
  }

  private set(status: DatabaseStatus): void {
    const before = this.status;
    this.status = status;
    if (describe(before) === describe(status)) return;
    const { logger, db } = this.options;
    if (status.available) logger.info({ database: db.description }, 'database available');
    else logger.warn({ database: db.description, reason: status.reason }, `database unavailable: ${status.reason}`);
    for (const listener of this.listeners) listener(status);
  }
}

const describe = (status: DatabaseStatus) => (status.available ? 'available' : `unavailable: ${status.reason}`);
