// Channels and push events of the monitor domain. Owned by the monitor work; see contract/index.ts.
export const monitorChannels = {};

export const monitorEvents = {};
