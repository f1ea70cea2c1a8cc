// Channels and push events of the terminal domain. Owned by the terminal work; see contract/index.ts.
export const terminalChannels = {};

export const terminalEvents = {};
