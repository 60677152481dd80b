import { DynamicModule, Module } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { READ_STORE, ReadStore } from '../read-side/store/read-store';
import { EmbeddedLedgerPaymentProvider } from './embedded-ledger.payment-provider';
import { PAYMENT_PROVIDER } from './payment-provider.port';
import { migratePayouts } from './payouts.migrations';
import { ReadStoreLedgerPaymentProvider } from './read-store-ledger.payment-provider';

/**
 * The payment provider: embedded, a local ledger file (synchronous=FULL); with PostgreSQL, the ledger lives
 * there so every instance shares it and a retry on another instance still cannot pay twice.
 */
@Module({})
export class CompensationModule {
  /** `readSide`: the read store (the ledger's table with PostgreSQL). */
  static forConfig(config: AppConfig, readSide: DynamicModule): DynamicModule {
    return {
      module: CompensationModule,
      imports: [readSide],
      providers: [
        {
          provide: PAYMENT_PROVIDER,
          inject: [READ_STORE],
          useFactory: async (readStore: ReadStore) => {
            await migratePayouts(readStore.db); // in every read store, as the read-store migrations did
            return config.readStore === 'postgres'
              ? new ReadStoreLedgerPaymentProvider(readStore.db)
              : new EmbeddedLedgerPaymentProvider(config.dataDir);
          },
        },
      ],
      exports: [PAYMENT_PROVIDER],
    };
  }
}
