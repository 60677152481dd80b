import { Inject, Injectable, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { forgetResponsesMentioning } from '../../idempotency/idempotency-store';
import { ProjectionEngine } from '../../read-side/engine/projection-engine.service';
import { READ_STORE, ReadStore } from '../../read-side/store/read-store';
import { Actor } from '../../shared/actor';
import { CLOCK, Clock } from '../../shared/clock';
import { EVENT_STORE, EventStore } from '../../shared/event-sourcing/event-store.port';
import { DATA_KEY_STORE, DataKeyStore } from '../data-key-store';
import { PSEUDONYMIZER, Pseudonymizer } from '../pseudonym';

/** The erasure record's stream: one per subject (the pseudonym, never the plaintext id). */
export const erasureStreamId = (subject: string) => `customer-erasure-${subject}`;
export const CUSTOMER_ERASED = 'CustomerErased';
export const CUSTOMER_ERASED_SCHEMA_VERSION = 1;

export interface ErasureResult {
  subject: string;
  erasedAt: string;
  keysDestroyed: number;
  /** Global position of the CustomerErased event. */
  position: number;
  /** Remembered Idempotency-Key responses that named the customer, deleted. */
  responsesForgotten: number;
  /** The read models rebuilt from the log, now without the customer's personal data. */
  rebuilt: string[];
  /** Read models whose rebuild failed (e.g. one already running): rebuild them again with the admin route. */
  failed: { name: string; error: string }[];
}

/**
 * Crypto-shredding (issue 13 item 5): destroys the customer's data keys, records `CustomerErased` (subject,
 * reason, actor in the metadata), then rebuilds every read model from the log, where the customer's fields now
 * read as erased; remembered Idempotency-Key responses naming the customer are deleted. Keys first: if recording fails afterwards, the data is gone all the same (privacy first).
 */
@Injectable()
export class CustomerErasure {
  private readonly logger = new Logger(CustomerErasure.name);

  constructor(
    @Inject(DATA_KEY_STORE) private readonly keys: DataKeyStore,
    @Inject(PSEUDONYMIZER) private readonly pseudonyms: Pseudonymizer,
    @Inject(EVENT_STORE) private readonly log: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly engine: ProjectionEngine,
    @Inject(READ_STORE) private readonly readStore: ReadStore,
  ) {}

  async erase(customerId: string, reason: string, actor: Actor): Promise<ErasureResult> {
    const subject = this.pseudonyms.customer(customerId);
    const erasedAt = this.clock.now().toISOString();
    const keysDestroyed = await this.keys.destroy(subject, erasedAt);
    const commandId = randomUUID();
    const appended = await this.log.append(
      erasureStreamId(subject),
      [
        {
          type: CUSTOMER_ERASED,
          data: { subject, reason, keysDestroyed, erasedAt },
          metadata: {
            actorId: actor.id,
            actorRoles: actor.roles,
            commandId,
            correlationId: commandId,
            causationId: null,
            policyVersion: null,
            schemaVersion: CUSTOMER_ERASED_SCHEMA_VERSION,
          },
          occurredAt: erasedAt,
        },
      ],
      'any',
    );
    // Remembered first responses (Idempotency-Key) quote the filing as answered: forget those naming the customer.
    const responsesForgotten = await forgetResponsesMentioning(this.readStore.db, customerId);
    const rebuilt: string[] = [];
    const failed: ErasureResult['failed'] = [];
    for (const name of this.engine.rebuildable) {
      try {
        await this.engine.rebuild(name);
        rebuilt.push(name);
      } catch (error) {
        this.logger.error(`erasure of ${subject}: rebuilding ${name} failed: ${(error as Error).message}`);
        failed.push({ name, error: (error as Error).message });
      }
    }
    return { subject, erasedAt, keysDestroyed, position: appended.position, responsesForgotten, rebuilt, failed };
  }
}
