export * from './load-app-entry';
export * from './default-app-entry';
export * from './app-handler-entry';

/** Where a realm's app comes from: the vendor's module, whose default export is `defineApp(...)`. */
export interface AppEntry {
  /** Path of the module (TypeScript or JavaScript): its routes build the API, and it is bundled into the app function. */
  readonly entry: string;
}
