// Channels and push events of the assistant domain. Owned by the assistant work; see contract/index.ts.
export const assistantChannels = {};

export const assistantEvents = {};
