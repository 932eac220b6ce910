export * from './decider';
export * from './fold';
export * from './errors';
export * from './money';
export * from './time';
export * from './ids';
export * from './guards';
