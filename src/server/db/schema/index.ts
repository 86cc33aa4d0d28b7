export * from './auth.ts';
export * from './roster.ts';
export * from './sync.ts';
export * from './audit.ts';
export * from './secrets.ts';
export * from './ledger.ts';
export * from './inspection.ts';
export * from './coverage.ts';
