// Placeholder until this package is built.
export {};
