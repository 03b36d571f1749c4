/** A vendor app definition that cannot be hosted: thrown by `defineApp` before any request is served. */
export class AppDefinitionError extends Error {
  constructor(message: string) {
    super(`defineApp: ${message}`);
    this.name = 'AppDefinitionError';
  }
}
