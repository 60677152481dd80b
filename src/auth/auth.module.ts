import { DynamicModule, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { JwtModule } from '@nestjs/jwt';
import { JwtAuthGuard } from './jwt-auth.guard';

@Module({})
export class AuthModule {
  /** `ops`: the client limits the guard counts failed authentications in. */
  static register(ops: DynamicModule): DynamicModule {
    return {
      module: AuthModule,
      imports: [JwtModule.register({}), ops],
      providers: [{ provide: APP_GUARD, useClass: JwtAuthGuard }],
    };
  }
}
