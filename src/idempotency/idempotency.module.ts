import { DynamicModule, Module } from '@nestjs/common';
import { READ_STORE, ReadStore } from '../read-side/store/read-store';
import { IDEMPOTENCY_STORE, ReadStoreIdempotencyStore } from './idempotency-store';
import { migrateIdempotencyKeys } from './idempotency.migrations';

/** The store of first responses behind the Idempotency-Key interceptor: its table in the read store, migrated here. */
@Module({})
export class IdempotencyModule {
  /** `readSide`: the read store the keys live in. */
  static register(readSide: DynamicModule): DynamicModule {
    return {
      module: IdempotencyModule,
      imports: [readSide],
      providers: [
        {
          provide: IDEMPOTENCY_STORE,
          inject: [READ_STORE],
          useFactory: async (readStore: ReadStore) => {
            await migrateIdempotencyKeys(readStore.db);
            return new ReadStoreIdempotencyStore(readStore.db);
          },
        },
      ],
      exports: [IDEMPOTENCY_STORE],
    };
  }
}
