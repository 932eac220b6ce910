import { Command, CommandInput, Decider, DomainEvent, forbidden, hasAnyRole } from '@salesline/shared-kernel';
import { loadState } from '../commands/load-state';
import { RequestContext } from '../commands/request-context';
import { EVENT_STORE, EventStore } from '../event-store/event-store.port';
import type { Upcaster } from '../event-store/upcasting';
import { defineAggregate, Route, route } from '../commands/aggregate';

export type SettingsState<T> = { version: number; settings: T };
export type SettingsChanged<T> = DomainEvent<string, { settings: T; version: number }>;
export type ChangeSettings<T> = Command<'ChangeSettings', { changes: Partial<T> }>;

export type SettingsDefinition<T> = Readonly<{
  /** e.g. `settings-sales`: one stream per group of settings, every version a fact. */
  streamName: string;
  /** e.g. `SalesSettingsChanged`. */
  changedEventType: string;
  defaults: T;
  /** Merges the changes into the current settings and validates the result (throws a named DomainError). */
  merge: (current: T, changes: Partial<T>) => T;
}>;

const withoutUndefined = <T>(value: Partial<T>): Partial<T> => JSON.parse(JSON.stringify(value)) as Partial<T>;

/**
 * Settings events replace the whole settings object, so one written before a key existed lacks
 * it. Version 2 events carry every key; reading a version 1 event fills the keys it lacks with
 * the defaults (the value the company had, implicitly, while the key did not exist).
 */
export const SETTINGS_SCHEMA_VERSION = 2;

export const settingsUpcasters = <T>(definition: SettingsDefinition<T>): Upcaster[] => [
  {
    type: definition.changedEventType,
    fromVersion: 1,
    upcast: (data: { settings: Partial<T>; version: number }) => ({ ...data, settings: { ...definition.defaults, ...data.settings } }),
  },
];

/** A pure decider for versioned company settings: admin only, an event only when something changes. */
export const settingsDecider = <T>(
  definition: SettingsDefinition<T>,
): Decider<SettingsState<T>, ChangeSettings<T>, SettingsChanged<T>> => ({
  initialState: () => ({ version: 0, settings: definition.defaults }),
  decide: (command, state) => {
    if (!hasAnyRole(command.context.actor, 'admin'))
      throw forbidden('SettingsChangeForbidden', 'Only an admin may change company settings');
    const settings = definition.merge(state.settings, command.data.changes);
    if (JSON.stringify(settings) === JSON.stringify(state.settings)) return [];
    return [{ type: definition.changedEventType, data: { settings, version: state.version + 1 } }];
  },
  evolve: (_state, event) => ({ version: event.data.version, settings: event.data.settings }),
});

/** Reads and changes one group of versioned settings (handlers pass the values into commands). */
export class VersionedSettings<T> {
  private readonly decider: Decider<SettingsState<T>, ChangeSettings<T>, SettingsChanged<T>>;
  /** The group's one aggregate (its stream), on the one command path. */
  private readonly route: Route<CommandInput<ChangeSettings<T>>, SettingsState<T>, null>;

  constructor(
    private readonly events: EventStore,
    private readonly definition: SettingsDefinition<T>,
  ) {
    this.decider = settingsDecider(definition);
    this.route = route(
      defineAggregate({ streamName: () => definition.streamName, decider: this.decider, schemaVersion: SETTINGS_SCHEMA_VERSION }),
    );
  }

  async current(): Promise<T> {
    return (await this.versioned()).settings;
  }

  async versioned(): Promise<SettingsState<T>> {
    return (await loadState(this.events, this.definition.streamName, this.decider)).state;
  }

  async change(changes: Partial<T>, request: RequestContext): Promise<SettingsState<T> & { position: number }> {
    // DTO instances carry every declared field, the absent ones as undefined: only what was given changes.
    const result = await this.route.run(
      this.events,
      null,
      { type: 'ChangeSettings', data: { changes: withoutUndefined(changes) } },
      request,
    );
    return { ...result.state, position: result.position };
  }
}

/** A Nest provider for one group of settings. */
export const settingsProvider = <T>(token: symbol | string, definition: SettingsDefinition<T>) => ({
  provide: token,
  useFactory: (events: EventStore) => new VersionedSettings<T>(events, definition),
  inject: [EVENT_STORE],
});
