import { Module } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { loadPseudonymKey } from '../config/pseudonym-key';
import { PSEUDONYMIZER, Pseudonymizer } from './pseudonym';

/** The pseudonymizer every analyst-facing output uses (PSEUDONYM_KEY, else DATA_DIR/pseudonym-key). */
@Module({
  providers: [
    {
      provide: PSEUDONYMIZER,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) =>
        new Pseudonymizer(loadPseudonymKey({ pseudonymKey: config.pseudonymKey, dataDir: config.dataDir }).key),
    },
  ],
  exports: [PSEUDONYMIZER],
})
export class PrivacyModule {}
