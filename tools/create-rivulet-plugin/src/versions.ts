// Version ranges written into generated plugins; a test keeps them in step with the workspace.

/** The @rivulet/core release generated plugins are written against. */
export const CORE_VERSION = '0.1.0';

export const VERSIONS = {
  coreRange: `^${CORE_VERSION}`,
  coreVersion: CORE_VERSION,
  rxjsRange: '^7.8.2',
  zodRange: '^4.1.0',
  typescriptRange: '^6.0.3',
  vitestRange: '^4.1.12',
  typesNodeRange: '^20.19.0',
} as const;
