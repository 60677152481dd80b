import { DynamicModule, Module } from '@nestjs/common';
import { loadPseudonymKey } from './pseudonym-key';
import { PSEUDONYMIZER, Pseudonymizer } from './pseudonym';

/**
 * The pseudonymizer every analyst-facing output uses: PSEUDONYM_KEY, else DATA_DIR/pseudonym-key (generated on
 * first start). Takes plain values, so privacy depends on no other context.
 */
@Module({})
export class PrivacyModule {
  static forRoot(options: { pseudonymKey?: string | null; dataDir: string }): DynamicModule {
    return {
      module: PrivacyModule,
      global: true,
      providers: [{ provide: PSEUDONYMIZER, useFactory: () => new Pseudonymizer(loadPseudonymKey(options).key) }],
      exports: [PSEUDONYMIZER],
    };
  }
}
