export * from './connect-descriptor';
export * from './forge-remotes';
export * from './artefacts';
