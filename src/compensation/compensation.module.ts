import { DynamicModule, Global, Module } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { EmbeddedLedgerPaymentProvider } from './embedded-ledger.payment-provider';
import { PAYMENT_PROVIDER } from './payment-provider.port';

@Global()
@Module({})
export class CompensationModule {
  static forConfig(config: AppConfig): DynamicModule {
    return {
      module: CompensationModule,
      providers: [{ provide: PAYMENT_PROVIDER, useFactory: () => new EmbeddedLedgerPaymentProvider(config.dataDir) }],
      exports: [PAYMENT_PROVIDER],
    };
  }
}
