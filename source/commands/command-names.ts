/** The commands after `heaptop`. Without one, heaptop shows a live heap: a board's, `--demo`, or `--listen`. */
export const commandNames = ['inspect', 'replay', 'run', 'ports', 'listen', 'imports', 'profile', 'emulate'] as const;
export type CommandName = (typeof commandNames)[number];
