import { DynamicModule, Global, Module } from '@nestjs/common';
import { CLOCK, Clock } from '../shared/clock';
import { APP_CONFIG, AppConfig } from './app-config';

/**
 * The configuration the service was started with, and its clock (the system's, or a test's): the one global
 * module (issue 18). Every other module imports what it uses, so the imports say what depends on what.
 */
@Global()
@Module({})
export class AppConfigModule {
  static forRoot(config: AppConfig, clock: Clock): DynamicModule {
    return {
      module: AppConfigModule,
      providers: [
        { provide: APP_CONFIG, useValue: config },
        { provide: CLOCK, useValue: clock },
      ],
      exports: [APP_CONFIG, CLOCK],
    };
  }
}
