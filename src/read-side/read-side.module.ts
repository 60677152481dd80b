import { DynamicModule, FactoryProvider, Inject, Module, ModuleMetadata, OnApplicationShutdown } from '@nestjs/common';
import { PROJECTION_CATALOG, ProjectionEngine } from './engine/projection-engine.service';
import { READ_STORE, ReadStore } from './store/read-store';

export interface ReadSideOptions {
  /** The modules the catalog's factory needs (the event store, the SLA policies): the engine imports no context. */
  imports: ModuleMetadata['imports'];
  /** Opens the read store and runs its migrations (the read models know their tables). */
  openReadStore(): Promise<ReadStore>;
  /** Builds the `ProjectionCatalog` the engine runs. */
  catalog: Omit<FactoryProvider, 'provide'>;
}

/**
 * The read-side engine as a Nest module: the read store and the projection engine (runners inline or in a
 * worker thread). Knows no read model: `ReadModelsModule` passes them in (and the routes over them).
 */
@Module({})
export class ReadSideModule implements OnApplicationShutdown {
  constructor(
    @Inject(READ_STORE) private readonly store: ReadStore,
    private readonly engine: ProjectionEngine,
  ) {}

  static forRoot(options: ReadSideOptions): DynamicModule {
    return {
      module: ReadSideModule,
      imports: options.imports,
      providers: [
        { provide: READ_STORE, useFactory: () => options.openReadStore() },
        { provide: PROJECTION_CATALOG, ...options.catalog },
        ProjectionEngine,
      ],
      exports: [READ_STORE, ProjectionEngine],
    };
  }

  /** Every worker stopped in beforeApplicationShutdown; now the store can close. */
  async onApplicationShutdown(): Promise<void> {
    await this.engine.beforeApplicationShutdown();
    await this.store.close();
  }
}
