export * from './connect-descriptor';
export * from './forge-remotes';
export * from './artefacts';
export * from './forge-remotes-lock';
