import { DynamicModule, Module } from '@nestjs/common';
import { AppConfig, CoreModule, EventStore, ReadStore } from '@salesline/core';
import { allProjections, contextModules } from '@salesline/composition';
import { permissionPolicy } from './permissions';

@Module({})
export class AppModule {
  static forRoot(config: AppConfig, eventStore: EventStore, readStore: ReadStore): DynamicModule {
    return {
      module: AppModule,
      imports: [
        CoreModule.forRoot({ config, eventStore, readStore, projections: allProjections, http: true, permissions: permissionPolicy }),
        ...contextModules,
      ],
    };
  }
}
